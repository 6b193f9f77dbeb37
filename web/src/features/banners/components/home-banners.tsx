import { Carousel, type Slide } from '@/components/carousel/carousel';
import './home-banners.css';

type Banner = { id: string; headline: string; text: string; tone: string };

// The original storefront's banners were static artwork; these stand in for a campaign feed.
const BANNERS: Banner[] = [
  { id: 'picked', headline: 'Picked for you', text: 'Recommendations that follow what you buy, live.', tone: 'ocean' },
  { id: 'fresh', headline: 'Fresh every second', text: 'Buy something and watch this page change.', tone: 'sunset' },
  {
    id: 'explore',
    headline: 'Explore new categories',
    text: 'Discover aisles you have not visited yet.',
    tone: 'forest',
  },
];

function toSlide(banner: Banner): Slide {
  return {
    id: banner.id,
    label: banner.headline,
    content: (
      <div className={`home-banner home-banner--${banner.tone}`}>
        <h2 className="home-banner__headline">{banner.headline}</h2>
        <p className="home-banner__text">{banner.text}</p>
      </div>
    ),
  };
}

export function HomeBanners() {
  return <Carousel slides={BANNERS.map(toSlide)} label="Featured" />;
}
