const DEFAULT_API_URL = 'http://127.0.0.1:8000';

function trimSlash(url: string): string {
  return url.endsWith('/') ? url.slice(0, -1) : url;
}

export const env = {
  apiUrl: trimSlash(import.meta.env.VITE_API_URL || DEFAULT_API_URL),
};

// The API may hand out image paths relative to itself; the storefront lives on another origin.
export function resolveImageUrl(imageUrl: string): string {
  if (imageUrl.startsWith('/') && !imageUrl.startsWith('//')) return `${env.apiUrl}${imageUrl}`;
  return imageUrl;
}
