import { localesOf, type Locales } from './locale';
import { mandarin, type MandarinOptions } from './mandarin';

/** Every locale the hotline ships (only Mandarin, the default), built once per function. */
export function shippedLocales(mandarinOptions: MandarinOptions = {}): Locales {
  return localesOf([mandarin(mandarinOptions)]);
}
