#!/usr/bin/env bash
# Rebuilds the vendored GOV.UK Frontend in ../static/govuk from npm.
# Run after changing the version in package.json; commit the output.
set -euo pipefail
cd "$(dirname "$0")"
npm install --no-audit --no-fund
npx sass --no-source-map --style=compressed --quiet-deps useit.scss ../static/govuk/govuk-frontend.css
cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js ../static/govuk/
echo "built static/govuk from govuk-frontend $(node -p 'require("govuk-frontend/package.json").version')"
