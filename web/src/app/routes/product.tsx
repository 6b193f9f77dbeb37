import { Link, useParams } from 'react-router';
import { ErrorState } from '@/components/feedback/error-state';
import { BuyForm } from '@/features/orders/components/buy-form';
import { ProductDetail } from '@/features/products/components/product-detail';
import { paths } from '@/lib/paths';
import { useShopperContext } from '../layout/use-shopper-context';

export function ProductRoute() {
  const { userId } = useShopperContext();
  const { productId: raw } = useParams();
  const productId = Number(raw);

  if (!raw || !/^\d+$/.test(raw) || productId < 1) {
    return <ErrorState title="This product does not exist" error={new Error(`"${raw}" is not a product id`)} />;
  }
  return (
    <>
      <Link to={paths.home(userId)} className="back-link">
        ← Back to recommendations
      </Link>
      <ProductDetail productId={productId} actions={<BuyForm userId={userId} productId={productId} />} />
    </>
  );
}
