// Usage text of `fovea` and of each subcommand: printed by `fovea --help` (all of them) and by
// `fovea <command> --help` / `-h` (that command's), always on stdout with exit code 0.

export type CommandName = 'serve' | 'import' | 'index' | 'jpip' | 'key' | 'link' | 'audit';

export const COMMAND_USAGE: Readonly<Record<CommandName, string>> = {
  serve: `  serve                 start the gateway (DICOMweb, WADO-URI, JPIP, DICOM)
      --port N          (FOVEA_PORT, default 8080)
      --host H          (FOVEA_HOST, default 127.0.0.1)
      --data DIR        (FOVEA_DATA, default ./data)
      --public-url URL  (FOVEA_PUBLIC_URL, default http://HOST:PORT, https:// with FOVEA_TLS_CERT)
      --cors-origins A,B  (FOVEA_CORS_ORIGINS, default *)
      --log-level L     (FOVEA_LOG_LEVEL: debug, info, warn, error, silent; default info)
      --dimse-port N    (FOVEA_DIMSE_PORT, default 11112; 0 disables DICOM networking)
      --ae-title AET    (FOVEA_AE_TITLE, default FOVEA)
      --calling-ae-titles A,B   (FOVEA_DIMSE_CALLING_AETS, default any; AE, AE@IP or AE@IP/prefix)
      --store-ae-titles A,B     (FOVEA_DIMSE_STORE_AETS: who may C-STORE; default every accepted AE)
      --query-ae-titles A,B     (FOVEA_DIMSE_QUERY_AETS: who may C-FIND/C-MOVE/C-GET; default every accepted AE)
      --peers AE@host:port[/tls],...  (FOVEA_DIMSE_PEERS: C-MOVE destinations)
      --overwrite never|always  (FOVEA_OVERWRITE, default never: a different object with a stored
                        SOP Instance UID is refused; always: it replaces the stored one)
      access control: FOVEA_AUTH=on|off, FOVEA_OIDC_ISSUER, FOVEA_OIDC_AUDIENCE, FOVEA_OIDC_JWKS ...
      (docs/security.md); without them only a loopback --host is served
                        DICOM TLS: FOVEA_DIMSE_TLS_CERT, FOVEA_DIMSE_TLS_KEY, FOVEA_DIMSE_TLS_CA
                        DIMSE limits: FOVEA_DIMSE_MAX_ASSOCIATIONS (32), FOVEA_DIMSE_MAX_ASSOCIATIONS_PER_ADDRESS (8),
                        FOVEA_DIMSE_ARTIM_S (10), FOVEA_DIMSE_IDLE_S (60)
      HTTPS: FOVEA_TLS_CERT, FOVEA_TLS_KEY (PEM), FOVEA_HSTS_MAX_AGE_S (default 31536000)
      Host guard: FOVEA_ALLOWED_HOSTS=name,name:port (besides the public URL's host; others get 421)
`,
  import: `  import PATH...        store DICOM files and folders (recursive) into --data DIR
      [--data DIR] [--public-url URL] [--overwrite never|always] [--quiet]
      (a file refused by --overwrite never, the default, is listed as failed: exit code 1)
`,
  index: `  index FILE            print the JPEG 2000 packet index of a .j2k/.j2c/.jp2/.jph file or DICOM frame
      [--frame N] [--json]
`,
  audit: `  audit                 who accessed what: records of the audit log (FOVEA_AUDIT_LOG, default DATA/audit.log)
      [--study UID] [--principal ID|sub|key|link|AET] [--since 2h|ISO-8601] [--json]
      [--data DIR] [--log FILE]
`,
  jpip: `  jpip URL              fetch a view from a JPIP server; print bytes, messages, EOR, time
      [--fsiz W,H[,round]] [--roff X,Y] [--rsiz W,H] [--layers L] [--comps 0,1-2] [--stream N]
      [--type jpp-stream|jpt-stream] [--len N] [--session] [--out FILE.png|.pgm|.ppm|.j2k] [--timeout MS]
`,
  key: `  key create --name NAME --scope read[,write][,admin]   create an API key (printed once)
  key list [--json]     list API keys (name, scopes, created, last used, status)
  key revoke NAME       revoke an API key
      [--data DIR]
`,
  link: `  link --study UID     print a study-scoped link URL (read of that study only)
      [--ttl 15m] [--wado] [--json] [--data DIR] [--public-url URL]
  link revoke ID        revoke a link
`,
};

/** `fovea --help`: every command. */
export const USAGE = `usage: fovea <command> [options]
       fovea --version | -V
       fovea <command> --help | -h

commands:
${Object.values(COMMAND_USAGE).join('')}`;

/** `fovea <command> --help`: that command only. */
export function commandUsage(command: CommandName): string {
  return `usage: fovea ${command} [options]\n\n${COMMAND_USAGE[command]}`;
}
