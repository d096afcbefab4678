// Which audit action a request is, and the UIDs its URL names (docs/security.md "Audit trail"):
// the routes of app.ts, dicomweb/router.ts and jpip.ts seen from the audit trail. Pure (no
// express): method, path (no query) and the query parameters WADO-URI names its object with.

import type { AuditAction } from '../audit';

export interface AuditedRoute {
  action: AuditAction;
  /** "qido", "wado-rs", "wado-uri", "rendered", "thumbnail", "stow", "jpip", "links". */
  service: string;
  study?: string;
  series?: string;
  instance?: string;
}

const SEG = '([^/]+)';
const STUDY = new RegExp(`^/dicomweb/studies/${SEG}(?:/series/${SEG}(?:/instances/${SEG})?)?(/.*)?$`);
const QIDO_ROOT = /^\/dicomweb\/(studies|series|instances)\/?$/;

function decoded(s: string | undefined): string | undefined {
  if (s === undefined) return undefined;
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}

/** The audited route of a request, or undefined for what is not an access to data (health, CORS
 *  preflight, unknown paths). `query` is the parsed query (WADO-URI studyUID/seriesUID/objectUID). */
export function auditedRoute(
  method: string,
  path: string,
  query: Readonly<Record<string, unknown>>,
): AuditedRoute | undefined {
  const m = method === 'HEAD' ? 'GET' : method;
  if (m === 'OPTIONS') return undefined;
  if (path === '/jpip' || path === '/jpip/' || path.startsWith('/jpip/'))
    return m === 'GET' || m === 'POST' ? { action: 'jpip-view', service: 'jpip' } : undefined;
  if (path === '/api/links' && m === 'POST') return { action: 'link-issued', service: 'links' };
  if (path === '/wado' && m === 'GET') {
    const str = (k: string): string | undefined => (typeof query[k] === 'string' ? query[k] : undefined);
    // §8.2.5: the object when the list names application/dicom or */*; else (and by default) a rendered image.
    const ct = str('contentType') ?? '';
    const object = /(^|,)\s*(application\/dicom|\*\/\*)\s*(;|,|$)/i.test(ct);
    const r: AuditedRoute = { action: object ? 'retrieve' : 'render', service: 'wado-uri' };
    const [study, series, instance] = [str('studyUID'), str('seriesUID'), str('objectUID')];
    if (study !== undefined) r.study = study;
    if (series !== undefined) r.series = series;
    if (instance !== undefined) r.instance = instance;
    return r;
  }
  if (!path.startsWith('/dicomweb/')) return undefined;
  const root = QIDO_ROOT.exec(path);
  if (root !== null) {
    if (m === 'POST' && root[1] === 'studies') return { action: 'store', service: 'stow' };
    return m === 'GET' ? { action: 'query', service: 'qido' } : undefined;
  }
  const s = STUDY.exec(path);
  if (s === null) return undefined;
  const study = decoded(s[1]);
  const series = decoded(s[2]);
  const instance = decoded(s[3]);
  const rest = s[4] ?? '';
  const uids: Omit<AuditedRoute, 'action' | 'service'> = {};
  if (study !== undefined) uids.study = study;
  if (series !== undefined) uids.series = series;
  if (instance !== undefined) uids.instance = instance;
  if (m === 'POST')
    return rest === '' && series === undefined ? { action: 'store', service: 'stow', ...uids } : undefined;
  if (m === 'DELETE') return rest === '' ? { action: 'delete', service: 'delete', ...uids } : undefined;
  if (m !== 'GET') return undefined;
  if (/^\/(series|instances)\/?$/.test(rest)) return { action: 'query', service: 'qido', ...uids };
  if (/\/(rendered|thumbnail)\/?$/.test(rest))
    return { action: 'render', service: rest.includes('thumbnail') ? 'thumbnail' : 'rendered', ...uids };
  return { action: 'retrieve', service: 'wado-rs', ...uids };
}
