# syntax=docker/dockerfile:1
# One image for every Node process of the system (consumers, API, scheduler, migrations, db-init,
# connector registration), built by docker-compose.yml; the storefront is its own target because
# it needs web/'s packages and a production build. The Node version is the one the project is
# developed on (package.json engines: >= 20.19).
FROM node:20.20.2-bookworm-slim AS app
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY . .
# Prisma's CLI would download a schema engine it does not need for generate (see .ci/install).
# The empty .env stops the CLI from writing one with fresh secrets: compose passes the environment.
RUN PRISMA_SCHEMA_ENGINE_BINARY="$(command -v true)" npx --no-install prisma generate >/dev/null \
 && : > .env \
 && mkdir -p .models && chown node:node .models
USER node
CMD ["node", "--import", "tsx", "api/main.ts"]

FROM app AS storefront
USER root
RUN npm --prefix web ci --no-audit --no-fund --loglevel=error && npm --prefix web run build
USER node
EXPOSE 5173
# vite preview listens on localhost only unless told otherwise, which a published port cannot reach.
CMD ["npm", "--prefix", "web", "run", "preview", "--", "--host", "0.0.0.0", "--port", "5173", "--strictPort"]
