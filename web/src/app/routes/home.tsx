import { HomeBanners } from '@/features/banners/components/home-banners';
import { HomeRecommendations } from '@/features/recommendations/components/home-recommendations';
import { useShopperContext } from '../layout/use-shopper-context';

export function HomeRoute() {
  const { userId } = useShopperContext();
  return (
    <>
      <HomeBanners />
      <HomeRecommendations userId={userId} />
    </>
  );
}
