// opencc-js ships its dictionaries as modules (`dist/esm-lib/dict/*.js`, each a `key value|…` string) without types.
declare module 'opencc-js/dict/*' {
  const dictionary: string;
  export default dictionary;
}
