export const paths = {
  home: (userId?: number) => (userId === undefined ? '/' : `/?user=${userId}`),
  product: (productId: number, userId?: number) =>
    userId === undefined ? `/products/${productId}` : `/products/${productId}?user=${userId}`,
  ops: () => '/ops',
};
