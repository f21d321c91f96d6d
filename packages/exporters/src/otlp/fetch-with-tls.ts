import { diag } from '@opentelemetry/api';
import { tlsFetch } from '../runtime/edge';
import { type TlsFiles, tlsSources } from './tls-files';

/**
 * The fetch that sends with the TLS files named: the node build's https client. The files are not
 * applied, with a warning, to a `fetch` given as an option, to an http: endpoint, or where the
 * runtime has no TLS client to give them to (`fetch` takes no certificates: edge runtimes,
 * Workers, browsers).
 */
export function fetchWithTls(
  files: TlsFiles | undefined,
  url: string,
  custom: typeof fetch | undefined,
): typeof fetch | undefined {
  if (files === undefined) return custom;
  let why: string;
  if (custom !== undefined) why = 'not applied to the fetch option';
  else if (!/^https:/i.test(url)) why = 'ignored: the endpoint is not https:';
  else if (tlsFetch === undefined)
    why = 'not supported in this runtime (fetch takes no certificates), ignored';
  else return tlsFetch(files);
  diag.warn(`@spanlite/exporters: ${tlsSources(files)} ${why}`);
  return custom;
}
