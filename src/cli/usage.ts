// Usage text of `fovea` and of each subcommand: printed by `fovea --help` (all of them) and by
// `fovea <command> --help` / `-h` (that command's), always on stdout with exit code 0.

export type CommandName = 'serve' | 'import' | 'index' | 'jpip' | 'audit';

export const COMMAND_USAGE: Readonly<Record<CommandName, string>> = {
  serve: `  serve                 start the gateway (DICOMweb, WADO-URI, JPIP, DICOM)
      --port N          (FOVEA_PORT, default 8080)
      --host H          (FOVEA_HOST, default 127.0.0.1)
      --data DIR        (FOVEA_DATA, default ./data)
      --public-url URL  (FOVEA_PUBLIC_URL, default http://HOST:PORT)
      --cors-origins A,B  (FOVEA_CORS_ORIGINS, default *)
      --log-level L     (FOVEA_LOG_LEVEL: debug, info, warn, error, silent; default info)
      --dimse-port N    (FOVEA_DIMSE_PORT, default 11112; 0 disables DICOM networking)
      --ae-title AET    (FOVEA_AE_TITLE, default FOVEA)
      --calling-ae-titles A,B   (FOVEA_DIMSE_CALLING_AETS, default any)
      --peers AE@host:port,...  (FOVEA_DIMSE_PEERS: C-MOVE destinations)
`,
  import: `  import PATH...        store DICOM files and folders (recursive) into --data DIR
      [--data DIR] [--public-url URL] [--quiet]
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
