import type { ReactNode } from 'react';
import { Link, NavLink } from 'react-router';
import './nav-bar.css';

type NavLinkItem = { to: string; label: string };

type NavBarProps = { links: NavLinkItem[]; homeTo: string; children?: ReactNode };

export function NavBar({ links, homeTo, children }: NavBarProps) {
  return (
    <header className="nav-bar">
      <nav className="nav-bar__inner" aria-label="Main">
        <Link to={homeTo} className="nav-bar__brand">
          shop-reco
        </Link>
        <ul className="nav-bar__links">
          {links.map((link) => (
            <li key={link.label}>
              <NavLink to={link.to} end className="nav-bar__link">
                {link.label}
              </NavLink>
            </li>
          ))}
        </ul>
        <div className="nav-bar__extra">{children}</div>
      </nav>
    </header>
  );
}
