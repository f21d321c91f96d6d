import { diag } from '@opentelemetry/api';

/** A TLS file's path and the option or variable that named it (for messages). */
export interface TlsFile {
  readonly path: string;
  readonly source: string;
}

/**
 * exporter.md's Certificate File (the CA to trust), Client key file and Client certificate file,
 * as paths to PEM files.
 */
export interface TlsFiles {
  readonly certificate?: TlsFile;
  readonly clientKey?: TlsFile;
  readonly clientCertificate?: TlsFile;
}

/** A `fetch` that sends with TLS files, and lets its connections go at the exporter's shutdown. */
export type TlsFetch = typeof fetch & { close(): void };

/** The options that name the TLS files in code. */
export interface TlsFileOptions {
  /** PEM file of the CA(s) to trust instead of the default ones. */
  certificateFile?: string | undefined;
  /** PEM file of the client's private key, for mutual TLS. */
  clientKeyFile?: string | undefined;
  /** PEM file of the client's certificate chain, for mutual TLS. */
  clientCertificateFile?: string | undefined;
}

const FILES = [
  ['certificate', 'CERTIFICATE'],
  ['clientKey', 'CLIENT_KEY'],
  ['clientCertificate', 'CLIENT_CERTIFICATE'],
] as const;

/**
 * Each file from its option, else `OTEL_EXPORTER_OTLP_TRACES_<suffix>`, else
 * `OTEL_EXPORTER_OTLP_<suffix>`; undefined when none is named.
 */
export function resolveTlsFiles(
  options: TlsFileOptions,
  read: (name: string) => string | undefined,
): TlsFiles | undefined {
  let files: { -readonly [K in keyof TlsFiles]: TlsFile } | undefined;
  for (const [key, suffix] of FILES) {
    const option = options[`${key}File`];
    let file: TlsFile | undefined = option
      ? { path: option, source: `the ${key}File option` }
      : undefined;
    for (const name of [`OTEL_EXPORTER_OTLP_TRACES_${suffix}`, `OTEL_EXPORTER_OTLP_${suffix}`]) {
      const path = read(name);
      if (path !== undefined) file ??= { path, source: name };
    }
    if (file) (files ??= {})[key] = file;
  }
  if (files && !files.clientKey !== !files.clientCertificate) {
    diag.warn(
      `@spanlite/exporters: ${(files.clientKey ?? files.clientCertificate)!.source} set without ${files.clientKey ? 'a client certificate' : 'a client key'}: mutual TLS needs both`,
    );
  }
  return files;
}

/** The sources of the files named, for a message: `OTEL_EXPORTER_OTLP_CERTIFICATE, …`. */
export function tlsSources(files: TlsFiles): string {
  return Object.values(files)
    .map((file: TlsFile) => file.source)
    .join(', ');
}
