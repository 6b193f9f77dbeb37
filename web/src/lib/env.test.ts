import { resolveImageUrl } from './env';

describe('resolveImageUrl', () => {
  it('prefixes API-relative paths with the API base and leaves absolute URLs alone', () => {
    expect(resolveImageUrl('/images/1.svg')).toBe('http://127.0.0.1:8000/images/1.svg');
    expect(resolveImageUrl('https://cdn.example/1.png')).toBe('https://cdn.example/1.png');
    expect(resolveImageUrl('//cdn.example/1.png')).toBe('//cdn.example/1.png');
  });
});
