// Schema and policy check of rendered Kubernetes manifests, offline. Run by k8s/check, which
// renders each overlay with `kubectl kustomize` and hands the output here; see k8s/README.md.
//
//   node validate.cjs --config-reference deploy/CONFIG.md [--label NAME] OVERLAY=FILE...
//   node validate.cjs --config-reference deploy/CONFIG.md [--label NAME] [--quiet] --selftest DIR
//
// Schema: every document must be a built-in kind of a known apiVersion (kubernetes-models, whose
// compiled JSON-schema validators ship in the package) and valid against it. Those validators
// accept unknown fields, so a field name the schema does not know (a typo such as readinesProbe)
// is reported as well, from the field lists of the package's type declarations.
//
// Policy: the rules listed in k8s/README.md. Each violation is one line,
//   <overlay>: <Kind>/<name>: container <c>: <what is wrong>
// (or without the container part for rules about the whole object or overlay). Exit status 1 when
// anything is wrong, 2 on usage errors.
'use strict';

const fs = require('fs');
const path = require('path');
const YAML = require('yaml');

// ---------------------------------------------------------------------------------------------
// Policy constants

// Overlays allowed to carry Secret contents (dev's secretGenerator with development-only values).
const SECRET_OVERLAYS = new Set(['dev']);
// Pod label that the NetworkPolicies key on (k8s/base/network-policies.yaml) and its values.
const TIER = 'ntm.vn/tier';
const TIERS = ['gateway', 'service', 'database'];
// Pod template annotation naming policy rules a third-party workload is exempt from
// (comma-separated). Only the rules listed here may be exempted.
const EXEMPT_ANNOTATION = 'ntm.vn/policy-exempt';
const EXEMPTABLE = new Set(['readOnlyRootFilesystem']);
// A service gets SIGTERM, reports NOT_SERVING, lets calls in flight finish for --drain_seconds,
// then exits (services/common/server.cc, ServiceHost::Shutdown). The grace period must cover the
// drain and this margin for the rest of the shutdown.
const DRAIN_MARGIN_SECONDS = 5;
// Kubernetes' default terminationGracePeriodSeconds.
const DEFAULT_GRACE_SECONDS = 30;
// The migration Job's name: this prefix and the release of its images (0.6.0 -> 0-6-0).
const MIGRATE_PREFIX = 'ntm-migrate-';
// The binary whose readiness and liveness may be HTTP GET /healthz instead of gRPC: its gRPC port
// may serve TLS, which the kubelet's gRPC probe cannot speak, and it has an HTTP listener.
const HTTP_PROBED_BINARIES = new Set(['ntm-gateway']);
// Settings (environment names) of an ntm binary whose HTTP listener answers GET /healthz.
const HEALTHZ_LISTENERS = ['NTM_HTTP_LISTEN', 'NTM_METRICS_LISTEN'];

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'Pod']);
const LONG_RUNNING_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet']);
const CLUSTER_SCOPED_KINDS = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'StorageClass', 'CSIDriver', 'CSINode', 'VolumeAttachment',
  'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'APIService', 'PriorityClass',
  'RuntimeClass', 'IngressClass', 'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration',
  'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding', 'FlowSchema',
  'PriorityLevelConfiguration', 'CertificateSigningRequest', 'ComponentStatus', 'IPAddress', 'ServiceCIDR',
]);
const PROBE_HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'grpc'];

// ---------------------------------------------------------------------------------------------
// Small helpers

const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const arr = (v) => (Array.isArray(v) ? v : []);
const obj = (v) => (isObj(v) ? v : {});
const has = (o, k) => Object.prototype.hasOwnProperty.call(o, k);
const nameOf = (d) => (isObj(d) && isObj(d.metadata) && typeof d.metadata.name === 'string' ? d.metadata.name : '(unnamed)');
const nsOf = (d) => (isObj(d) && isObj(d.metadata) && typeof d.metadata.namespace === 'string' ? d.metadata.namespace : '');
const groupOf = (apiVersion) => (typeof apiVersion === 'string' && apiVersion.includes('/') ? apiVersion.split('/')[0] : '');

// Image reference: [registry/]path[:tag][@digest].
function parseImage(ref) {
  let rest = ref;
  let digest = null;
  let tag = null;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > slash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  return { repo: rest, tag, digest };
}

// The ntm binary an image runs: images <registry>/ntm/ntm-<name>, as k8s/base/kustomization.yaml
// names them. null for any other image.
function ntmBinary(image) {
  if (typeof image !== 'string') return null;
  const m = /(?:^|\/)ntm\/(ntm-[a-z0-9-]+)$/.exec(parseImage(image).repo);
  return m ? m[1] : null;
}

// host:port -> { host, port } (port a number or null).
function splitAddress(addr) {
  const i = addr.lastIndexOf(':');
  if (i < 0) return { host: addr, port: null };
  const port = /^\d+$/.test(addr.slice(i + 1)) ? Number(addr.slice(i + 1)) : null;
  return { host: addr.slice(0, i).replace(/^\[(.*)\]$/, '$1'), port };
}
const isLoopback = (host) => host === 'localhost' || /^127\./.test(host) || host === '::1' || /^localhost\./.test(host);

function selectorMatches(sel, labels) {
  if (!isObj(sel)) return false;
  const l = obj(labels);
  for (const [k, v] of Object.entries(obj(sel.matchLabels))) if (l[k] !== v) return false;
  for (const e of arr(sel.matchExpressions)) {
    if (!isObj(e)) return false;
    const present = has(l, e.key);
    const values = arr(e.values);
    switch (e.operator) {
      case 'In': if (!present || !values.includes(l[e.key])) return false; break;
      case 'NotIn': if (present && values.includes(l[e.key])) return false; break;
      case 'Exists': if (!present) return false; break;
      case 'DoesNotExist': if (present) return false; break;
      default: return false;
    }
  }
  return true;
}
const selectorIsEmpty = (sel) => isObj(sel) && Object.keys(obj(sel.matchLabels)).length === 0 && arr(sel.matchExpressions).length === 0;
// True when the selector only ever selects pods whose label `key` is one of `allowed`.
function selectorPins(sel, key, allowed) {
  if (!isObj(sel)) return false;
  if (has(obj(sel.matchLabels), key) && allowed.includes(sel.matchLabels[key])) return true;
  return arr(sel.matchExpressions).some((e) => isObj(e) && e.key === key && e.operator === 'In' &&
    arr(e.values).length > 0 && arr(e.values).every((v) => allowed.includes(v)));
}

// ---------------------------------------------------------------------------------------------
// deploy/CONFIG.md: for each binary, the default of each setting by environment name.

function parseConfigReference(text) {
  const byBinary = new Map();
  let current = null;
  for (const line of text.split('\n')) {
    const h = /^## (\S+)\s*$/.exec(line);
    if (h) {
      current = new Map();
      byBinary.set(h[1], current);
      continue;
    }
    const row = /^\| `--([a-z0-9_]+)` \| `([A-Z0-9_]+)` \| (?:`([^`]*)`|\(empty\)) \|/.exec(line);
    if (row && current) current.set(row[2], { flag: row[1], def: row[3] === undefined ? '' : row[3] });
  }
  return byBinary;
}

// ---------------------------------------------------------------------------------------------
// Schema: kubernetes-models' validators, plus unknown fields from its type declarations.

const modelsDir = path.dirname(require.resolve('kubernetes-models/package.json'));
const nodeModulesDir = path.dirname(modelsDir);

function modelClass(apiVersion, kind) {
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') return { error: 'apiVersion and kind must be strings' };
  const parts = apiVersion.split('/');
  if (parts.length > 2 || !parts.every((p) => /^[a-z0-9][a-z0-9.-]*$/.test(p))) return { error: `unknown apiVersion ${apiVersion}` };
  const dir = parts.join('/');
  if (!fs.existsSync(path.join(modelsDir, dir, 'index.js'))) return { error: `unknown apiVersion ${apiVersion}` };
  const mod = require(`kubernetes-models/${dir}`);
  const C = has(mod, kind) ? mod[kind] : undefined;
  // The package also exports the nested types (DeploymentSpec, …); only the kinds carry these.
  if (typeof C !== 'function' || C.apiVersion !== apiVersion || C.kind !== kind) {
    return { error: `unknown kind ${kind} in ${apiVersion}` };
  }
  return { C, dts: path.join(modelsDir, dir, `${kind}.d.ts`) };
}

// Field lists of the interfaces in the package's .d.ts files, read on demand.
const typeCache = new Map();
function parseType(text) {
  const m = /^export (?:declare )?interface \w+[^{]*\{\n([\s\S]*?)^\}/m.exec(text);
  if (!m) return null;
  return m[1];
}
function loadInterface(file) {
  if (typeCache.has(file)) return typeCache.get(file);
  let result = { opaque: true };
  typeCache.set(file, result);
  let text;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    return result;
  }
  const imports = new Map();
  for (const im of text.matchAll(/^import \{([^}]*)\} from "([^"]+)";/gm)) {
    for (const name of im[1].split(',').map((s) => s.trim()).filter(Boolean)) {
      const target = im[2].startsWith('.') ? path.join(path.dirname(file), im[2]) : path.join(nodeModulesDir, im[2]);
      imports.set(name, `${target}.d.ts`);
    }
  }
  const body = parseType(text);
  if (body === null) return result;
  const lines = body.split('\n');
  const fields = new Map();
  for (let i = 0; i < lines.length; i++) {
    const f = /^ {4}"([^"]+)"\??: (.*);?$/.exec(lines[i]);
    if (!f) continue;
    const t = f[2].replace(/;$/, '');
    if (t === '{') {
      const kv = /^\s*\[key: string\]: (.*);$/.exec(lines[i + 1] || '');
      fields.set(f[1], kv ? { map: typeOf(kv[1], imports) } : { opaque: true });
      continue;
    }
    fields.set(f[1], typeOf(t, imports));
  }
  result = { fields };
  typeCache.set(file, result);
  return result;
}
function typeOf(t, imports) {
  const a = /^Array<(.*)>$/.exec(t);
  if (a) return { array: typeOf(a[1], imports) };
  if (imports.has(t)) return { file: imports.get(t) };
  return { opaque: true };
}
function unknownFields(value, type, where, out) {
  if (type.opaque || value === null || value === undefined) return;
  if (type.array) {
    arr(value).forEach((v, i) => unknownFields(v, type.array, `${where}[${i}]`, out));
    return;
  }
  if (type.map) {
    if (isObj(value)) for (const [k, v] of Object.entries(value)) unknownFields(v, type.map, `${where}.${k}`, out);
    return;
  }
  const t = type.file ? loadInterface(type.file) : type;
  if (!t.fields || !isObj(value)) return;
  for (const [k, v] of Object.entries(value)) {
    const p = where ? `${where}.${k}` : k;
    if (!t.fields.has(k)) out.push(`unknown field ${p}`);
    else unknownFields(v, t.fields.get(k), p, out);
  }
}

function schemaErrors(doc) {
  if (!isObj(doc)) return ['document is not a mapping'];
  const found = modelClass(doc.apiVersion, doc.kind);
  if (found.error) return [found.error];
  const errors = [];
  if (!isObj(doc.metadata) || typeof doc.metadata.name !== 'string' || doc.metadata.name === '') {
    errors.push('metadata.name is missing');
  }
  try {
    new found.C(doc).validate();
  } catch (e) {
    const list = Array.isArray(e.errors) && e.errors.length ? e.errors : null;
    if (list) {
      for (const x of list) {
        const where = (x.instancePath || '').split('/').slice(1)
          .map((seg) => (/^\d+$/.test(seg) ? `[${seg}]` : `.${seg.replace(/~1/g, '/').replace(/~0/g, '~')}`))
          .join('').replace(/^\./, '') || '(document)';
        errors.push(`${where} ${x.message}${x.params && x.params.allowedValues ? ` (${x.params.allowedValues.join(', ')})` : ''}`);
      }
    } else {
      errors.push(String(e.message || e));
    }
  }
  const unknown = [];
  unknownFields(doc, { file: found.dts }, '', unknown);
  return errors.concat(unknown);
}

// ---------------------------------------------------------------------------------------------
// Pod templates of the workloads

function podTemplateOf(doc) {
  const spec = obj(doc.spec);
  switch (doc.kind) {
    case 'Pod': return { metadata: obj(doc.metadata), spec };
    case 'CronJob': {
      const t = obj(obj(obj(spec.jobTemplate).spec).template);
      return { metadata: obj(t.metadata), spec: obj(t.spec) };
    }
    default: {
      const t = obj(spec.template);
      return { metadata: obj(t.metadata), spec: obj(t.spec) };
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Policy

function checkPolicy(overlay, docs, config) {
  const errors = [];
  const notes = [];
  const objects = docs.filter((d) => isObj(d) && typeof d.kind === 'string');
  const ref = (d) => `${d.kind}/${nameOf(d)}`;
  const err = (d, msg) => errors.push(d ? `${overlay}: ${ref(d)}: ${msg}` : `${overlay}: ${msg}`);
  const byKind = (k) => objects.filter((d) => d.kind === k);
  const find = (kind, ns, name) => objects.find((d) => d.kind === kind && nsOf(d) === ns && nameOf(d) === name);
  const secretsHeld = SECRET_OVERLAYS.has(overlay);

  // --- Objects in general: no duplicates, namespaced objects in a namespace.
  const seen = new Set();
  for (const d of objects) {
    const key = `${groupOf(d.apiVersion)}/${d.kind}/${nsOf(d)}/${nameOf(d)}`;
    if (seen.has(key)) err(d, 'appears more than once');
    seen.add(key);
    if (!CLUSTER_SCOPED_KINDS.has(d.kind) && !nsOf(d)) err(d, 'has no metadata.namespace');
  }

  const workloads = objects.filter((d) => WORKLOAD_KINDS.has(d.kind)).map((d) => {
    const t = podTemplateOf(d);
    return { d, ns: nsOf(d), labels: obj(t.metadata.labels), annotations: obj(t.metadata.annotations), pod: t.spec };
  });

  // --- Settings of a container: command line, then environment, then the binary's default.
  function envOf(w, c) {
    const env = new Map();
    const fromConfigMap = (name, key) => {
      const cm = find('ConfigMap', w.ns, name);
      if (!cm) return undefined;
      const data = obj(cm.data);
      return has(data, key) ? String(data[key]) : undefined;
    };
    for (const src of arr(c.envFrom)) {
      if (!isObj(src)) continue;
      const prefix = typeof src.prefix === 'string' ? src.prefix : '';
      if (isObj(src.configMapRef)) {
        const cm = find('ConfigMap', w.ns, src.configMapRef.name);
        for (const [k, v] of Object.entries(obj(cm && cm.data))) env.set(prefix + k, { value: String(v), from: `ConfigMap/${src.configMapRef.name}` });
      }
      if (isObj(src.secretRef)) {
        const s = find('Secret', w.ns, src.secretRef.name);
        for (const k of Object.keys(Object.assign({}, obj(s && s.data), obj(s && s.stringData)))) env.set(prefix + k, { from: `Secret/${src.secretRef.name}` });
      }
    }
    for (const e of arr(c.env)) {
      if (!isObj(e) || typeof e.name !== 'string') continue;
      if (has(e, 'value')) env.set(e.name, { value: String(e.value), from: 'env' });
      else if (isObj(e.valueFrom) && isObj(e.valueFrom.configMapKeyRef)) {
        const r = e.valueFrom.configMapKeyRef;
        env.set(e.name, { value: fromConfigMap(r.name, r.key), from: `ConfigMap/${r.name}` });
      } else env.set(e.name, { from: 'valueFrom' });
    }
    return env;
  }
  function setting(w, c, binary, envName) {
    const section = config.get(binary);
    const entry = section && section.get(envName);
    const flag = entry ? entry.flag : envName.replace(/^NTM_/, '').toLowerCase();
    const argv = arr(c.command).concat(arr(c.args)).map(String);
    for (let i = 0; i < argv.length; i++) {
      if (argv[i].startsWith(`--${flag}=`)) return { value: argv[i].slice(flag.length + 3), from: 'args' };
      if (argv[i] === `--${flag}` && i + 1 < argv.length) return { value: argv[i + 1], from: 'args' };
    }
    const env = envOf(w, c).get(envName);
    if (env) return env;
    return entry ? { value: entry.def, from: 'default (deploy/CONFIG.md)' } : { value: undefined, from: 'nowhere' };
  }

  // --- Every workload, every container and init container.
  for (const w of workloads) {
    const { d, pod } = w;
    const psc = obj(pod.securityContext);
    const exempt = new Set();
    if (has(w.annotations, EXEMPT_ANNOTATION)) {
      for (const rule of String(w.annotations[EXEMPT_ANNOTATION]).split(',').map((s) => s.trim()).filter(Boolean)) {
        if (EXEMPTABLE.has(rule)) exempt.add(rule);
        else err(d, `annotation ${EXEMPT_ANNOTATION} names ${rule}, which cannot be exempted (only: ${[...EXEMPTABLE].join(', ')})`);
      }
    }
    for (const k of ['hostNetwork', 'hostPID', 'hostIPC']) if (pod[k] === true) err(d, `${k} is true`);
    if (!TIERS.includes(w.labels[TIER])) {
      err(d, `pod template label ${TIER} is missing or not one of ${TIERS.join(', ')} (the NetworkPolicies key on it)`);
    }
    if (LONG_RUNNING_KINDS.has(d.kind) && !selectorMatches(obj(d.spec).selector, w.labels)) {
      err(d, 'spec.selector does not match the pod template labels');
    }

    const containers = arr(pod.initContainers).map((c) => ({ c, init: true }))
      .concat(arr(pod.containers).map((c) => ({ c, init: false })));
    for (const { c, init } of containers) {
      if (!isObj(c)) continue;
      const cerr = (msg) => err(d, `${init ? 'init container' : 'container'} ${c.name}: ${msg}`);

      // Image: pinned.
      if (typeof c.image !== 'string' || c.image === '') cerr('has no image');
      else {
        const im = parseImage(c.image);
        if (im.digest !== null && !/^sha256:[0-9a-f]{64}$/.test(im.digest)) cerr(`image ${c.image}: malformed digest`);
        else if (im.digest === null && !im.tag) cerr(`image ${c.image} has no tag or digest`);
        else if (im.digest === null && im.tag.toLowerCase() === 'latest') cerr(`image ${c.image} uses the tag latest`);
      }

      // Resources: requests and limits of cpu and memory.
      const res = obj(c.resources);
      const missing = [];
      for (const part of ['requests', 'limits']) for (const r of ['cpu', 'memory']) {
        const v = obj(res[part])[r];
        if (v === undefined || v === null || v === '') missing.push(`${part}.${r}`);
      }
      if (missing.length) cerr(`resources: missing ${missing.join(', ')}`);

      // Security context.
      const csc = obj(c.securityContext);
      if (csc.readOnlyRootFilesystem !== true) {
        if (exempt.has('readOnlyRootFilesystem')) notes.push(`${overlay}: ${ref(d)}: container ${c.name}: readOnlyRootFilesystem exempted by ${EXEMPT_ANNOTATION}`);
        else cerr('securityContext.readOnlyRootFilesystem is not true');
      }
      if (csc.allowPrivilegeEscalation !== false) cerr('securityContext.allowPrivilegeEscalation is not false');
      if (!arr(obj(csc.capabilities).drop).includes('ALL')) cerr('securityContext.capabilities.drop does not contain ALL');
      if (csc.privileged === true) cerr('securityContext.privileged is true');
      const eff = (k) => (csc[k] !== undefined ? csc[k] : psc[k]);
      if (eff('runAsNonRoot') !== true) cerr('runAsNonRoot is not true (in the pod or container securityContext)');
      if (eff('runAsUser') === 0) cerr('runAsUser is 0 (root)');

      // ntm binaries: every setting given is one the binary has (it ignores unknown NTM_*
      // variables, so a misspelt one would silently leave the default).
      const binary = ntmBinary(c.image);
      const section = binary ? config.get(binary) : null;
      if (section) {
        const flags = new Set([...section.values()].map((e) => e.flag));
        for (const e of arr(c.env)) {
          if (isObj(e) && typeof e.name === 'string' && e.name.startsWith('NTM_') && !section.has(e.name)) {
            cerr(`env ${e.name} is not a setting of ${binary} (deploy/CONFIG.md)`);
          }
        }
        for (const a of arr(c.args).map(String)) {
          const m = /^--([^=]+)/.exec(a);
          if (m && !flags.has(m[1])) cerr(`argument ${a}: --${m[1]} is not a flag of ${binary} (deploy/CONFIG.md)`);
        }
        for (const src of arr(c.envFrom)) {
          const cm = isObj(src) && isObj(src.configMapRef) ? find('ConfigMap', w.ns, src.configMapRef.name) : null;
          const prefix = isObj(src) && typeof src.prefix === 'string' ? src.prefix : '';
          for (const k of Object.keys(obj(cm && cm.data)).map((x) => prefix + x)) {
            if (k.startsWith('NTM_') && ![...config.values()].some((sec) => sec.has(k))) {
              cerr(`env ${k} (from ConfigMap ${src.configMapRef.name}) is not a setting of any ntm binary (deploy/CONFIG.md)`);
            }
          }
        }
      }

      if (init || !LONG_RUNNING_KINDS.has(d.kind)) continue;

      // Long-running: probes.
      const probes = {};
      for (const p of ['readinessProbe', 'livenessProbe']) {
        if (!isObj(c[p])) {
          cerr(`has no ${p}`);
          continue;
        }
        const handlers = PROBE_HANDLERS.filter((h) => c[p][h] !== undefined && c[p][h] !== null);
        if (handlers.length !== 1) cerr(`${p} must have exactly one of ${PROBE_HANDLERS.join(', ')}`);
        else probes[p] = handlers[0];
      }
      if (!binary) continue;

      // ntm services.
      if (!config.has(binary)) {
        cerr(`image ${c.image}: deploy/CONFIG.md has no section ## ${binary}`);
        continue;
      }
      const listen = {};
      for (const envName of ['NTM_LISTEN', ...HEALTHZ_LISTENERS]) {
        const s = setting(w, c, binary, envName);
        listen[envName] = s;
      }
      const grpcListen = listen.NTM_LISTEN;
      if (typeof grpcListen.value !== 'string' || grpcListen.value === '') {
        cerr('NTM_LISTEN cannot be determined');
      } else if (isLoopback(splitAddress(grpcListen.value).host)) {
        cerr(`NTM_LISTEN is ${grpcListen.value} (${grpcListen.from}): the kubelet probes and the Service reach the pod IP, not loopback`);
      }
      const portNumber = (port) => {
        if (typeof port === 'number') return port;
        const named = arr(c.ports).find((p) => isObj(p) && p.name === port);
        return named ? named.containerPort : null;
      };
      const tls = setting(w, c, binary, 'NTM_TLS_CERT_FILE');
      for (const [p, handler] of Object.entries(probes)) {
        const probe = c[p][handler];
        if (handler === 'grpc') {
          const port = portNumber(probe.port);
          const want = typeof grpcListen.value === 'string' ? splitAddress(grpcListen.value).port : null;
          if (port !== want) cerr(`${p}: grpc port ${probe.port} is not the port of NTM_LISTEN (${grpcListen.value})`);
          else if (tls.value) cerr(`${p}: grpc probe on a port that serves TLS (NTM_TLS_CERT_FILE is set); the kubelet's gRPC probe speaks plaintext only`);
        } else if (handler === 'httpGet' && HTTP_PROBED_BINARIES.has(binary)) {
          const port = portNumber(probe.port);
          const served = HEALTHZ_LISTENERS.map((n) => listen[n]).filter((s) => typeof s.value === 'string' && s.value !== '')
            .map((s) => splitAddress(s.value)).filter((a) => !isLoopback(a.host)).map((a) => a.port);
          if (probe.path !== '/healthz') cerr(`${p}: httpGet path ${probe.path} is not /healthz`);
          if (!served.includes(port)) {
            cerr(`${p}: httpGet port ${probe.port} is not the port of a non-loopback ${HEALTHZ_LISTENERS.join(' or ')}`);
          }
          if (probe.scheme && probe.scheme !== 'HTTP') cerr(`${p}: httpGet scheme ${probe.scheme}: those listeners speak plain HTTP`);
        } else {
          cerr(`${p} uses ${handler}; ntm services are probed with grpc${HTTP_PROBED_BINARIES.has(binary) ? ' or httpGet /healthz' : ''}`);
        }
      }

      // Grace period over the drain.
      const drain = setting(w, c, binary, 'NTM_DRAIN_SECONDS');
      const drainSeconds = /^\d+$/.test(String(drain.value)) ? Number(drain.value) : null;
      if (drainSeconds === null) cerr(`drain_seconds ${drain.value === undefined ? 'cannot be determined' : `is not a number: ${drain.value}`} (${drain.from})`);
      else {
        const grace = pod.terminationGracePeriodSeconds === undefined ? DEFAULT_GRACE_SECONDS : pod.terminationGracePeriodSeconds;
        if (!(grace >= drainSeconds + DRAIN_MARGIN_SECONDS)) {
          cerr(`terminationGracePeriodSeconds ${grace} is less than drain_seconds ${drainSeconds} (${drain.from}) + ${DRAIN_MARGIN_SECONDS}`);
        }
      }
    }
  }

  // --- References to ConfigMaps (always) and Secrets (where the overlay holds them) resolve.
  for (const w of workloads) {
    const { d, pod } = w;
    const check = (kind, name, key, optional, what) => {
      if (optional === true) return;
      if (kind === 'Secret' && !secretsHeld) return;  // created by the operator
      const o = find(kind, w.ns, name);
      if (!o) err(d, `${what}: ${kind} ${name} is not in the overlay${w.ns ? ` (namespace ${w.ns})` : ''}`);
      else if (key !== undefined && !has(Object.assign({}, obj(o.data), obj(o.binaryData), obj(o.stringData)), key)) {
        err(d, `${what}: ${kind} ${name} has no key ${key}`);
      }
    };
    for (const c of arr(pod.initContainers).concat(arr(pod.containers))) {
      if (!isObj(c)) continue;
      for (const src of arr(c.envFrom)) {
        if (isObj(src) && isObj(src.configMapRef)) check('ConfigMap', src.configMapRef.name, undefined, src.configMapRef.optional, `container ${c.name}`);
        if (isObj(src) && isObj(src.secretRef)) check('Secret', src.secretRef.name, undefined, src.secretRef.optional, `container ${c.name}`);
      }
      for (const e of arr(c.env)) {
        const vf = obj(isObj(e) ? e.valueFrom : null);
        if (isObj(vf.configMapKeyRef)) check('ConfigMap', vf.configMapKeyRef.name, vf.configMapKeyRef.key, vf.configMapKeyRef.optional, `container ${c.name}: env ${e.name}`);
        if (isObj(vf.secretKeyRef)) check('Secret', vf.secretKeyRef.name, vf.secretKeyRef.key, vf.secretKeyRef.optional, `container ${c.name}: env ${e.name}`);
      }
    }
    for (const v of arr(pod.volumes)) {
      if (!isObj(v)) continue;
      if (isObj(v.configMap)) {
        check('ConfigMap', v.configMap.name, undefined, v.configMap.optional, `volume ${v.name}`);
        for (const it of arr(v.configMap.items)) check('ConfigMap', v.configMap.name, obj(it).key, v.configMap.optional, `volume ${v.name}`);
      }
      if (isObj(v.secret)) check('Secret', v.secret.secretName, undefined, v.secret.optional, `volume ${v.name}`);
    }
  }

  // --- Secrets: contents only in the dev overlay; the others only reference Secrets.
  if (!secretsHeld) {
    for (const s of byKind('Secret')) {
      const keys = Object.keys(Object.assign({}, obj(s.data), obj(s.stringData)));
      if (keys.length) err(s, `carries data (${keys.join(', ')}) outside the dev overlay; this overlay must only reference Secrets that the operator creates`);
      else err(s, 'is defined outside the dev overlay; this overlay must only reference Secrets that the operator creates (kubectl delete -k would delete theirs)');
    }
  }

  // --- HPA for every Deployment; PDB for every Deployment.
  const hpas = byKind('HorizontalPodAutoscaler');
  const pdbs = byKind('PodDisruptionBudget');
  for (const h of hpas) {
    const t = obj(obj(h.spec).scaleTargetRef);
    const target = objects.find((d) => d.kind === t.kind && nameOf(d) === t.name && nsOf(d) === nsOf(h) && d.apiVersion === t.apiVersion);
    if (!target) err(h, `its target ${t.apiVersion} ${t.kind}/${t.name} is not in the overlay`);
    const { minReplicas = 1, maxReplicas } = obj(h.spec);
    if (typeof maxReplicas === 'number' && minReplicas > maxReplicas) err(h, `minReplicas ${minReplicas} is above maxReplicas ${maxReplicas}`);
  }
  for (const p of pdbs) {
    if (!workloads.some((w) => w.ns === nsOf(p) && selectorMatches(obj(p.spec).selector, w.labels))) err(p, 'selects no pods of the overlay');
  }
  for (const w of workloads.filter((x) => x.d.kind === 'Deployment')) {
    const name = nameOf(w.d);
    if (!hpas.some((h) => nsOf(h) === w.ns && obj(obj(h.spec).scaleTargetRef).kind === 'Deployment' &&
      obj(h.spec).scaleTargetRef.name === name && groupOf(obj(h.spec).scaleTargetRef.apiVersion) === 'apps')) {
      err(w.d, 'no HorizontalPodAutoscaler targets it (rule: HPA for every Deployment)');
    }
    const covering = pdbs.filter((p) => nsOf(p) === w.ns && selectorMatches(obj(p.spec).selector, w.labels));
    if (covering.length === 0) err(w.d, 'no PodDisruptionBudget selects its pods (rule: PDB for every Deployment)');
    if (covering.length > 1) err(w.d, `more than one PodDisruptionBudget selects its pods (${covering.map(nameOf).join(', ')}); evictions would fail`);
  }

  // --- Services select pods, and their named target ports exist.
  for (const s of byKind('Service')) {
    const sel = obj(s.spec).selector;
    if (!isObj(sel) || Object.keys(sel).length === 0) continue;
    const pods = workloads.filter((w) => w.ns === nsOf(s) && selectorMatches({ matchLabels: sel }, w.labels));
    if (pods.length === 0) {
      err(s, 'its selector matches no pods of the overlay');
      continue;
    }
    for (const port of arr(obj(s.spec).ports)) {
      if (!isObj(port) || typeof port.targetPort !== 'string') continue;
      const ok = pods.some((w) => arr(w.pod.containers).some((c) => arr(obj(c).ports).some((p) => obj(p).name === port.targetPort)));
      if (!ok) err(s, `port ${port.name}: no selected container has a port named ${port.targetPort}`);
    }
  }

  // --- NetworkPolicies, per namespace with workloads.
  const policies = byKind('NetworkPolicy');
  const typesOf = (np) => {
    const spec = obj(np.spec);
    if (Array.isArray(spec.policyTypes)) return spec.policyTypes;
    return spec.egress ? ['Ingress', 'Egress'] : ['Ingress'];
  };
  for (const ns of [...new Set(workloads.map((w) => w.ns))]) {
    const inNs = policies.filter((np) => nsOf(np) === ns);
    const deny = inNs.some((np) => selectorIsEmpty(obj(np.spec).podSelector) && typesOf(np).includes('Ingress') && arr(obj(np.spec).ingress).length === 0);
    if (!deny) err(null, `namespace ${ns || '(none)'}: no default-deny NetworkPolicy (podSelector {}, policyTypes with Ingress, no ingress rules)`);
  }
  const dbPods = workloads.filter((w) => w.labels[TIER] === 'database');
  for (const np of policies) {
    const spec = obj(np.spec);
    if (!typesOf(np).includes('Ingress')) continue;
    const sel = spec.podSelector;
    const forDatabase = selectorMatches(sel, { [TIER]: 'database' }) || dbPods.some((w) => w.ns === nsOf(np) && selectorMatches(sel, w.labels));
    arr(spec.ingress).forEach((rule, i) => {
      const from = arr(obj(rule).from);
      const open = from.length === 0 || from.some((peer) => {
        const cidr = obj(obj(peer).ipBlock).cidr;
        return cidr === '0.0.0.0/0' || cidr === '::/0';
      });
      if (open && !selectorPins(sel, TIER, ['gateway'])) {
        err(np, `ingress rule ${i + 1} admits any source, but the policy does not select only pods with ${TIER}: gateway`);
      }
      if (forDatabase) {
        const bad = from.length === 0 || from.some((peer) => !isObj(peer) || peer.ipBlock !== undefined || peer.namespaceSelector !== undefined ||
          !selectorPins(peer.podSelector, TIER, ['service', 'gateway']));
        if (bad) err(np, `ingress rule ${i + 1} admits the database tier to sources other than pods with ${TIER}: service or gateway`);
      }
    });
  }

  // --- The migration Job: exists, migrates the images the Deployments run, carries their release.
  const migrations = byKind('Job').filter((j) => nameOf(j).startsWith(MIGRATE_PREFIX));
  if (migrations.length === 0) err(null, `no migration Job (a Job named ${MIGRATE_PREFIX}<release>)`);
  const migrated = new Set();
  for (const j of migrations) {
    const w = workloads.find((x) => x.d === j);
    const containers = arr(w.pod.initContainers).concat(arr(w.pod.containers)).filter(isObj);
    const tags = new Set();
    for (const c of containers) {
      const binary = ntmBinary(c.image);
      if (!binary) continue;
      migrated.add(c.image);
      const im = parseImage(c.image);
      if (im.tag && im.digest === null) tags.add(im.tag);
      if (config.has(binary) && setting(w, c, binary, 'NTM_MIGRATE_ONLY').value !== 'true') {
        err(j, `container ${c.name}: neither --migrate_only=true nor NTM_MIGRATE_ONLY=true: it would serve instead of exiting`);
      }
    }
    if (tags.size > 1) err(j, `runs images of several releases (${[...tags].join(', ')})`);
    if (tags.size === 1) {
      const want = MIGRATE_PREFIX + [...tags][0].toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
      if (nameOf(j) !== want) err(j, `its name does not carry the release of its images (${[...tags][0]}): expected ${want} (a Job cannot be changed once created)`);
    }
  }
  if (migrations.length) {
    for (const w of workloads.filter((x) => LONG_RUNNING_KINDS.has(x.d.kind))) {
      for (const c of arr(w.pod.containers).filter(isObj)) {
        if (ntmBinary(c.image) && !migrated.has(c.image)) err(w.d, `container ${c.name}: image ${c.image} is not run by the migration Job`);
      }
    }
  }

  return { errors, notes };
}

// ---------------------------------------------------------------------------------------------
// Documents

function parseDocuments(text, source) {
  const docs = [];
  const errors = [];
  for (const d of YAML.parseAllDocuments(text, { version: '1.1' })) {
    if (d.errors && d.errors.length) {
      errors.push(`${source}: YAML: ${d.errors[0].message.split('\n')[0]}`);
      continue;
    }
    const v = d.toJS({ maxAliasCount: 100 });
    if (v === null || v === undefined) continue;
    docs.push(v);
  }
  return { docs, errors };
}

function checkOverlay(overlay, docs, config) {
  const schema = [];
  for (const d of docs) {
    for (const e of schemaErrors(d)) schema.push(`${overlay}: ${isObj(d) ? `${d.kind}/${nameOf(d)}` : 'document'}: schema: ${e}`);
  }
  const policy = checkPolicy(overlay, docs, config);
  return { schema, policy: policy.errors, notes: policy.notes };
}

// ---------------------------------------------------------------------------------------------
// Self-test: tools/k8s-validate/selftest/good.yaml must pass; each other fixture is merged into it
// and must fail with exactly the errors its header expects. Header lines (comments at the top):
//   # overlay: NAME        the overlay name to check under (default: selftest)
//   # delete: Kind/name    drop that object of good.yaml
//   # expect: TEXT         an error containing TEXT; every error must be expected
// Documents of a fixture are merged into the object of good.yaml with the same kind and name
// (maps key by key, a null value deletes the key, lists of named items by name) or added.

function merge(base, patch) {
  if (isObj(base) && isObj(patch)) {
    const out = Object.assign({}, base);
    for (const [k, v] of Object.entries(patch)) {
      if (v === null) delete out[k];
      else out[k] = has(base, k) ? merge(base[k], v) : v;
    }
    return out;
  }
  if (Array.isArray(base) && Array.isArray(patch) && patch.every((x) => isObj(x) && typeof x.name === 'string')) {
    const out = base.slice();
    for (const p of patch) {
      const i = out.findIndex((x) => isObj(x) && x.name === p.name);
      if (i >= 0) out[i] = merge(out[i], p);
      else out.push(p);
    }
    return out;
  }
  return patch;
}

function selftest(dir, config, quiet, label) {
  const read = (f) => fs.readFileSync(path.join(dir, f), 'utf8');
  const header = (text) => {
    const h = { overlay: 'selftest', delete: [], expect: [] };
    for (const line of text.split('\n')) {
      if (!line.startsWith('#')) break;
      const m = /^#\s*(overlay|delete|expect):\s*(.*?)\s*$/.exec(line);
      if (!m) continue;
      if (m[1] === 'overlay') h.overlay = m[2];
      else h[m[1]].push(m[2]);
    }
    return h;
  };
  const goodText = read('good.yaml');
  const good = parseDocuments(goodText, 'good.yaml');
  if (good.errors.length) throw new Error(good.errors.join('\n'));
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();
  let failed = 0;
  for (const f of files) {
    const text = read(f);
    const h = header(text);
    let docs;
    if (f === 'good.yaml') docs = good.docs;
    else {
      const fx = parseDocuments(text, f);
      if (fx.errors.length) throw new Error(fx.errors.join('\n'));
      docs = good.docs.filter((d) => !h.delete.includes(`${d.kind}/${nameOf(d)}`));
      if (docs.length !== good.docs.length - h.delete.length) throw new Error(`${f}: delete: an object is not in good.yaml`);
      for (const p of fx.docs) {
        const i = docs.findIndex((d) => isObj(p) && d.kind === p.kind && nameOf(d) === nameOf(p));
        if (i >= 0) docs[i] = merge(docs[i], p);
        else docs.push(p);
      }
    }
    const r = checkOverlay(h.overlay, docs, config);
    const got = r.schema.concat(r.policy);
    const unexpected = got.filter((e) => !h.expect.some((x) => e.includes(x)));
    const absent = h.expect.filter((x) => !got.some((e) => e.includes(x)));
    if (unexpected.length || absent.length || (f !== 'good.yaml' && h.expect.length === 0)) {
      failed++;
      console.log(`${label}: selftest ${f}: FAILED`);
      for (const x of absent) console.log(`  expected, not reported: ${x}`);
      for (const e of unexpected) console.log(`  reported, not expected: ${e}`);
      if (f !== 'good.yaml' && h.expect.length === 0) console.log('  the fixture expects nothing');
    } else if (!quiet) {
      console.log(`${label}: selftest ${f}: ${f === 'good.yaml' ? 'passes' : `fails as expected (${got.length} ${got.length === 1 ? 'error' : 'errors'})`}`);
    }
  }
  if (!failed) console.log(`${label}: selftest: ${files.length} fixtures behave as expected`);
  return failed === 0;
}

// ---------------------------------------------------------------------------------------------

function main(argv) {
  let label = 'validate';
  let configFile = null;
  let selftestDir = null;
  let quiet = false;
  const overlays = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--label') label = argv[++i];
    else if (a === '--config-reference') configFile = argv[++i];
    else if (a === '--selftest') selftestDir = argv[++i];
    else if (a === '--quiet') quiet = true;
    else if (/^[^-][^=]*=.+/.test(a)) overlays.push([a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]);
    else {
      console.error(`${label}: unknown argument ${a}`);
      return 2;
    }
  }
  if (!configFile || (!selftestDir && overlays.length === 0)) {
    console.error(`usage: validate.cjs --config-reference CONFIG.md [--label NAME] (OVERLAY=FILE... | [--quiet] --selftest DIR)`);
    return 2;
  }
  const config = parseConfigReference(fs.readFileSync(configFile, 'utf8'));
  if (config.size === 0) {
    console.error(`${label}: ${configFile} has no binary sections`);
    return 2;
  }
  if (selftestDir) return selftest(selftestDir, config, quiet, label) ? 0 : 1;

  let ok = true;
  for (const [overlay, file] of overlays) {
    const parsed = parseDocuments(fs.readFileSync(file, 'utf8'), overlay);
    const r = checkOverlay(overlay, parsed.docs, config);
    const schema = parsed.errors.concat(r.schema);
    for (const e of schema.concat(r.policy)) console.error(e);
    for (const n of r.notes) console.error(`note: ${n}`);
    const verdict = (list, what) => (list.length ? `${what} FAILED (${list.length} ${list.length === 1 ? 'error' : 'errors'})` : `${what} ok`);
    console.log(`${label}: overlay ${overlay}: ${parsed.docs.length} objects, ${verdict(schema, 'schema')}, ${verdict(r.policy, 'policy')}`);
    if (schema.length || r.policy.length) ok = false;
  }
  return ok ? 0 : 1;
}

process.exitCode = main(process.argv.slice(2));
