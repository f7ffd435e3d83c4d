/** A value built on first use and then reused; a failed build is retried on the next use. */
export function once<T>(load: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => {
    value ??= load().catch((error: unknown) => {
      value = undefined;
      throw error;
    });
    return value;
  };
}

/**
 * A Lambda entry whose dependencies are built on the first invocation (not at import, where a
 * missing setting would fail the whole init) and reused by every later one.
 */
export function lazyHandler<Event, Result>(build: () => (event: Event) => Promise<Result>): (event: Event) => Promise<Result> {
  let built: ((event: Event) => Promise<Result>) | undefined;
  return (event) => (built ??= build())(event);
}
