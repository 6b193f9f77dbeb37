/** A test's view of a JSON body: assertions check the shape, so the type is left open on purpose. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const readJson = async (res: Response): Promise<any> => res.json();
