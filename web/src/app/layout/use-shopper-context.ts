import { useOutletContext } from 'react-router';

export type ShopperContext = { userId: number };

export function useShopperContext(): ShopperContext {
  return useOutletContext<ShopperContext>();
}
