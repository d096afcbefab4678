#!/usr/bin/env python3
"""Static check of docker-compose.yml (Docker is not available where Fovea is built and tested):
YAML syntax, the services and volumes Fovea's deployment relies on, JSON-valued Orthanc
settings, mounted files present, ports and FOVEA_* values accepted by src/config.ts."""
import json, os, re, sys
import yaml

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
errors = []
def check(cond, msg):
    if not cond:
        errors.append(msg)

with open(os.path.join(root, 'docker-compose.yml')) as f:
    doc = yaml.safe_load(f)
check(isinstance(doc, dict), 'top level must be a mapping')
services = doc.get('services', {})
volumes = doc.get('volumes', {})
check(set(services) == {'fovea', 'orthanc'}, f'services: {sorted(services)}')
for name, svc in services.items():
    check('image' in svc or 'build' in svc, f'{name}: image or build needed')
    env = svc.get('environment', {})
    check(isinstance(env, dict), f'{name}: environment must be a mapping')
    for k, v in env.items():
        check(isinstance(v, str), f'{name}: {k} must be a string (quote numbers)')
    for p in svc.get('ports', []):
        check(re.fullmatch(r'\d+:\d+', str(p)) is not None, f'{name}: port "{p}"')
    for v in svc.get('volumes', []):
        src = v.split(':')[0]
        if src.startswith('./'):
            check(os.path.isfile(os.path.join(root, src)), f'{name}: mounted file {src} missing')
        else:
            check(src in volumes, f'{name}: volume {src} not declared')
fovea = services.get('fovea', {})
fenv = fovea.get('environment', {})
check(os.path.isfile(os.path.join(root, fovea.get('build', '.'), 'Dockerfile')), 'fovea: Dockerfile missing')
check(fenv.get('FOVEA_HOST') == '0.0.0.0', 'fovea must listen on 0.0.0.0')
check(fenv.get('FOVEA_DATA') == '/data' and 'fovea-data:/data' in fovea.get('volumes', []), 'fovea: /data volume')
check(re.fullmatch(r'[ -~]{1,16}', fenv.get('FOVEA_AE_TITLE', '')) is not None, 'fovea: AE title 1..16 chars')
for peer in fenv.get('FOVEA_DIMSE_PEERS', '').split(','):
    check(re.fullmatch(r'[^@]{1,16}@[^:]+:\d{1,5}', peer) is not None, f'fovea: peer "{peer}" must be AE@host:port')
check({'8080:8080', '11112:11112'} <= set(fovea.get('ports', [])), 'fovea: ports 8080 and 11112')
oenv = services.get('orthanc', {}).get('environment', {})
mods = json.loads(oenv.get('ORTHANC__DICOM_MODALITIES', '{}'))
f = mods.get('fovea', {})
check(f.get('AET') == fenv.get('FOVEA_AE_TITLE') and f.get('Host') == 'fovea' and str(f.get('Port')) == fenv.get('FOVEA_DIMSE_PORT'), 'orthanc: modality "fovea" must match the fovea service')
scripts = json.loads(oenv.get('ORTHANC__LUA_SCRIPTS', '[]'))
mounted = {v.split(':')[1]: v.split(':')[0] for v in services.get('orthanc', {}).get('volumes', []) if v.startswith('./')}
for s in scripts:
    check(s in mounted, f'orthanc: Lua script {s} is not mounted')
    if s in mounted:
        text = open(os.path.join(root, mounted[s])).read()
        check('function OnStableStudy' in text and "SendToModality" in text, f'{s}: OnStableStudy → SendToModality expected')
peer_ae = fenv.get('FOVEA_DIMSE_PEERS', '').split('@')[0]
check(oenv.get('ORTHANC__DICOM_AET') == peer_ae, 'the PACS AE title must match Fovea\'s peer entry')
if errors:
    print('\n'.join(errors), file=sys.stderr)
    sys.exit(1)
print('docker-compose.yml: OK')
