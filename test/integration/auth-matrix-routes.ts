// The route list of the authorization matrix (auth-matrix.test.ts): one entry per route of the
// route table (the test checks that against the walker), each with the access it states and how
// to address study A / study B / a study that does not exist through it.

import { stowBody } from './harness';

export interface Ids {
  study: string;
  series: string;
  sop: string;
}

export interface MatrixRoute {
  /** The route-table path it exercises (checked against the walker). */
  template: string;
  method: string;
  access: 'public' | 'read' | 'write';
  /** Scoped to one study (its path or target names it): a link for another study gets 404. */
  scoped: boolean;
  url(ids: Ids): string;
  body?: (ids: Ids) => { body: Buffer | string; contentType: string };
}

export function matrixRoutes(ctx: { url: string; stowFile: Buffer; studyA: string }): MatrixRoute[] {
  const server = { url: ctx.url };
  const d = (p: (i: Ids) => string) => (i: Ids) => `${server.url}/dicomweb${p(i)}`;
  const st = (i: Ids) => `/studies/${i.study}`;
  const se = (i: Ids) => `${st(i)}/series/${i.series}`;
  const ins = (i: Ids) => `${se(i)}/instances/${i.sop}`;
  const stowA = () => {
    const { body, contentType } = stowBody([ctx.stowFile]);
    return { body, contentType };
  };
  const r = (
    template: string,
    access: MatrixRoute['access'],
    scoped: boolean,
    url: (i: Ids) => string,
    method = 'GET',
  ): MatrixRoute => ({ template, method, access, scoped, url });
  const list: MatrixRoute[] = [
    r('/healthz', 'public', false, () => `${server.url}/healthz`),
    {
      ...r(
        '/dicomweb/studies',
        'write',
        false,
        d(() => '/studies'),
        'POST',
      ),
      body: stowA,
    },
    { ...r('/dicomweb/studies/:study', 'write', true, d(st), 'POST'), body: stowA },
    r(
      '/dicomweb/studies',
      'read',
      false,
      d(() => '/studies'),
    ),
    r(
      '/dicomweb/series',
      'read',
      false,
      d(() => '/series'),
    ),
    r(
      '/dicomweb/instances',
      'read',
      false,
      d(() => '/instances'),
    ),
    r(
      '/dicomweb/studies/:study/series',
      'read',
      true,
      d((i) => `${st(i)}/series`),
    ),
    r(
      '/dicomweb/studies/:study/instances',
      'read',
      true,
      d((i) => `${st(i)}/instances`),
    ),
    r(
      '/dicomweb/studies/:study/series/:series/instances',
      'read',
      true,
      d((i) => `${se(i)}/instances`),
    ),
    r('/dicomweb/studies/:study', 'read', true, d(st)),
    r('/dicomweb/studies/:study/series/:series', 'read', true, d(se)),
    r('/dicomweb/studies/:study/series/:series/instances/:instance', 'read', true, d(ins)),
    r(
      '/dicomweb/studies/:study/metadata',
      'read',
      true,
      d((i) => `${st(i)}/metadata`),
    ),
    r(
      '/dicomweb/studies/:study/series/:series/metadata',
      'read',
      true,
      d((i) => `${se(i)}/metadata`),
    ),
    r(
      '/dicomweb/studies/:study/series/:series/instances/:instance/metadata',
      'read',
      true,
      d((i) => `${ins(i)}/metadata`),
    ),
    r(
      '/dicomweb/studies/:study/series/:series/instances/:instance/frames/:frames',
      'read',
      true,
      d((i) => `${ins(i)}/frames/1`),
    ),
    r(
      '/dicomweb/studies/:study/series/:series/instances/:instance/bulkdata/*tagpath',
      'read',
      true,
      d((i) => `${ins(i)}/bulkdata/7FE00010`),
    ),
    r(
      '/wado',
      'read',
      true,
      (i) =>
        `${server.url}/wado?requestType=WADO&studyUID=${i.study}&seriesUID=${i.series}&objectUID=${i.sop}&contentType=application%2Fdicom`,
    ),
    r('/jpip/', 'read', true, (i) => `${server.url}/jpip?target=${i.sop}&fsiz=64,64&type=jpp-stream`),
    r('/jpip/:target', 'read', true, (i) => `${server.url}/jpip/${i.sop}?fsiz=64,64&type=jpp-stream`),
    {
      ...r('/jpip/', 'read', true, () => `${server.url}/jpip`, 'POST'),
      body: (i) => ({ body: `target=${i.sop}&fsiz=64,64`, contentType: 'application/x-www-form-urlencoded' }),
    },
    {
      ...r('/jpip/:target', 'read', true, (i) => `${server.url}/jpip/${i.sop}`, 'POST'),
      body: () => ({ body: 'fsiz=64,64', contentType: 'application/x-www-form-urlencoded' }),
    },
    r('/jpip/', 'read', false, (i) => `${server.url}/jpip?target=${i.sop}`, 'PUT'),
    r('/jpip/:target', 'read', false, (i) => `${server.url}/jpip/${i.sop}`, 'PUT'),
    {
      ...r('/api/links', 'write', false, () => `${server.url}/api/links`, 'POST'),
      body: () => ({ body: JSON.stringify({ study: ctx.studyA, ttl: '5m' }), contentType: 'application/json' }),
    },
  ];
  for (const [name, p] of [
    ['', st],
    ['/series/:series', se],
    ['/series/:series/instances/:instance', ins],
    ['/series/:series/instances/:instance/frames/:frames', (i: Ids) => `${ins(i)}/frames/1`],
  ] as const) {
    for (const kind of ['rendered', 'thumbnail'])
      list.push(
        r(
          `/dicomweb/studies/:study${name}/${kind}`,
          'read',
          true,
          d((i) => `${p(i)}/${kind}`),
        ),
      );
  }
  return list;
}
