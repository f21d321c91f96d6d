/** `ContextManagementToken` of `@opentelemetry/api` 1.10, which older versions do not declare. */
export interface ContextToken {
  dispose(): void;
}

/** A token whose first `dispose` calls `restore`; later ones do nothing. */
export function restoreOnce(restore: () => void): ContextToken {
  let disposed = false;
  return {
    dispose() {
      if (disposed) return;
      disposed = true;
      restore();
    },
  };
}
