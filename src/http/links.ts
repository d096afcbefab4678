// POST /api/links (docs/security.md): an EHR (or any principal with write or admin) asks for a
// study-scoped link. Body (application/json): {"study": "<StudyInstanceUID>", "ttl": "15m" |
// seconds, "kind": "wado"}. Answer 201 {url, token, expires (ISO 8601), id}. The study
// must exist (else 404, like any read of it); the link grants read of that study only. The only
// kind is "wado" (the WADO-RS study URL) until Fovea serves a viewer page: a link must open.

import type { RequestHandler } from 'express';
import { parseTtl, type IssuedLink } from '../auth';
import { BadRequestError, NotFoundError } from '../errors';
import type { InstanceStore } from '../store';
import { noteAudit } from './audit';

export type LinkKind = 'wado';

export interface LinkIssuer {
  issueLink(study: string, ttlSeconds: number): IssuedLink;
}

export interface LinksDeps {
  issuer: LinkIssuer;
  store: InstanceStore;
  publicUrl: string;
  defaultTtlSeconds: number;
  maxTtlSeconds: number;
}

const UID = /^[0-9]+(\.[0-9]+)*$/;

/** The URL a link opens: the WADO-RS study resource, carrying ?token=. */
export function linkUrl(publicUrl: string, _kind: LinkKind, study: string, token: string): string {
  const base = publicUrl.replace(/\/+$/, '');
  return `${base}/dicomweb/studies/${encodeURIComponent(study)}?token=${encodeURIComponent(token)}`;
}

export function linksHandler(deps: LinksDeps): RequestHandler {
  return (req, res) => {
    const body: unknown = req.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw new BadRequestError('LINK_BAD_BODY', 'send a JSON object {"study": "<StudyInstanceUID>"}');
    const o = body as Record<string, unknown>;
    const study = o['study'];
    if (typeof study !== 'string' || study.length > 64 || !UID.test(study))
      throw new BadRequestError('LINK_BAD_STUDY', '"study" must be a Study Instance UID');
    const ttlRaw = o['ttl'];
    let ttl = deps.defaultTtlSeconds;
    if (ttlRaw !== undefined) {
      const parsed =
        typeof ttlRaw === 'number'
          ? Number.isSafeInteger(ttlRaw) && ttlRaw > 0
            ? ttlRaw
            : undefined
          : typeof ttlRaw === 'string'
            ? parseTtl(ttlRaw)
            : undefined;
      if (parsed === undefined)
        throw new BadRequestError('LINK_BAD_TTL', '"ttl" must be seconds or like "15m", "2h", "1d"');
      if (parsed > deps.maxTtlSeconds)
        throw new BadRequestError('LINK_TTL_TOO_LONG', `"ttl" may be at most ${deps.maxTtlSeconds} seconds`);
      ttl = parsed;
    }
    const kindRaw = o['kind'] ?? 'wado';
    if (kindRaw !== 'wado')
      throw new BadRequestError('LINK_BAD_KIND', '"kind" must be "wado" (no viewer page is served yet)');
    if (deps.store.listInstances({ studyInstanceUid: study }).length === 0)
      throw new NotFoundError('DICOMWEB_STUDY_NOT_FOUND', 'no such study');
    const link = deps.issuer.issueLink(study, ttl);
    noteAudit(res, { studies: [study], link: { id: link.id, expires: new Date(link.expires).toISOString() } });
    res.status(201).json({
      url: linkUrl(deps.publicUrl, kindRaw, study, link.token),
      token: link.token,
      expires: new Date(link.expires).toISOString(),
      id: link.id,
    });
  };
}
