/**
 * Home countries an embassy can serve, with the coordinates of the capital (the seat of the
 * registers' primary copies). Used to keep the host region far enough from home.
 */

/** A home state. */
export interface Country {
  /** ISO 3166-1 alpha-2 code. */
  readonly code: string;
  readonly name: string;
  /** Latitude of the capital in decimal degrees. */
  readonly latitude: number;
  /** Longitude of the capital in decimal degrees. */
  readonly longitude: number;
}

const countryList: readonly Country[] = [
  { code: "AT", name: "Austria", latitude: 48.2082, longitude: 16.3738 },
  { code: "BE", name: "Belgium", latitude: 50.8503, longitude: 4.3517 },
  { code: "BG", name: "Bulgaria", latitude: 42.6977, longitude: 23.3219 },
  { code: "HR", name: "Croatia", latitude: 45.815, longitude: 15.9819 },
  { code: "CY", name: "Cyprus", latitude: 35.1856, longitude: 33.3823 },
  { code: "CZ", name: "Czechia", latitude: 50.0755, longitude: 14.4378 },
  { code: "DK", name: "Denmark", latitude: 55.6761, longitude: 12.5683 },
  { code: "EE", name: "Estonia", latitude: 59.437, longitude: 24.7536 },
  { code: "FI", name: "Finland", latitude: 60.1699, longitude: 24.9384 },
  { code: "FR", name: "France", latitude: 48.8566, longitude: 2.3522 },
  { code: "DE", name: "Germany", latitude: 52.52, longitude: 13.405 },
  { code: "GR", name: "Greece", latitude: 37.9838, longitude: 23.7275 },
  { code: "HU", name: "Hungary", latitude: 47.4979, longitude: 19.0402 },
  { code: "IE", name: "Ireland", latitude: 53.3498, longitude: -6.2603 },
  { code: "IT", name: "Italy", latitude: 41.9028, longitude: 12.4964 },
  { code: "LV", name: "Latvia", latitude: 56.9496, longitude: 24.1052 },
  { code: "LT", name: "Lithuania", latitude: 54.6872, longitude: 25.2797 },
  { code: "LU", name: "Luxembourg", latitude: 49.6116, longitude: 6.1319 },
  { code: "MT", name: "Malta", latitude: 35.8989, longitude: 14.5146 },
  { code: "NL", name: "Netherlands", latitude: 52.3676, longitude: 4.9041 },
  { code: "PL", name: "Poland", latitude: 52.2297, longitude: 21.0122 },
  { code: "PT", name: "Portugal", latitude: 38.7223, longitude: -9.1393 },
  { code: "RO", name: "Romania", latitude: 44.4268, longitude: 26.1025 },
  { code: "SK", name: "Slovakia", latitude: 48.1486, longitude: 17.1077 },
  { code: "SI", name: "Slovenia", latitude: 46.0569, longitude: 14.5058 },
  { code: "ES", name: "Spain", latitude: 40.4168, longitude: -3.7038 },
  { code: "SE", name: "Sweden", latitude: 59.3293, longitude: 18.0686 },
  { code: "IS", name: "Iceland", latitude: 64.1466, longitude: -21.9426 },
  { code: "LI", name: "Liechtenstein", latitude: 47.141, longitude: 9.5209 },
  { code: "NO", name: "Norway", latitude: 59.9139, longitude: 10.7522 },
  { code: "CH", name: "Switzerland", latitude: 46.948, longitude: 7.4474 },
  { code: "GB", name: "United Kingdom", latitude: 51.5074, longitude: -0.1278 },
  { code: "UA", name: "Ukraine", latitude: 50.4501, longitude: 30.5234 },
  { code: "MD", name: "Moldova", latitude: 47.0105, longitude: 28.8638 },
];

/** Every catalogued home country, keyed by ISO code. */
export const countries: ReadonlyMap<string, Country> = new Map(countryList.map((c) => [c.code, Object.freeze(c)]));

/** Looks a country up by ISO 3166-1 alpha-2 code (case-insensitive). */
export function findCountry(code: string): Country | undefined {
  return countries.get(code.toUpperCase());
}
