#!/usr/bin/env python3
"""The whole system on several "hosts" of one machine, configured as Kubernetes configures it.

Run by tests/multihost/run inside a sandbox of its own (new network, mount and PID namespaces), so
every address below is the sandbox's and everything it starts dies with it. It:

1. renders the dev overlay (`kubectl kustomize k8s/overlays/dev`) and reads, for the migration Job
   and each Deployment, the container's image, arguments and environment exactly as the manifests
   give them: the ConfigMap behind `envFrom`, `value`s, the Secret behind `secretKeyRef`, the pod
   name behind `fieldRef`. Only the paths inside the images are mapped to the source tree
   (/usr/share/ntm/data and /etc/ntm/calendar to data/, writable directories to a scratch one);
2. gives MariaDB, each service and the gateway its own network namespace and address on a bridge,
   and makes the Services' names (ntm-db, ntm-plans, ...) resolve to those addresses, as cluster
   DNS would; 127.0.0.1 in each namespace has nothing but that namespace's own process;
3. runs the Job's containers in order, then starts the Deployments and waits for their gRPC health;
4. runs a short scenario through the gateway from outside every namespace (ntmctl and HTTP);
5. cuts the plans service off the network and checks the gateway answers UNAVAILABLE within its
   backend timeout while the other services keep answering, then reconnects it;
6. stops everything with SIGTERM and checks each process drains and exits 0 in time.

Arguments: the source tree, the scratch directory, then name=path for each binary (ntm-assessment,
ntm-plans, ntm-registrations, ntm-notifications, ntm-gateway, ntmctl).
"""

import base64
import os
import signal
import subprocess
import sys
import time

import yaml

SUBNET = "10.77.0"
BRIDGE = "ntmbr0"
OVERLAY = "k8s/overlays/dev"
# Where the images keep what the source tree has (see deploy/docker/Dockerfile).
IMAGE_PATHS = {"/usr/share/ntm/data/": "data/", "/etc/ntm/calendar/": "data/calendar/"}


class Failure(Exception):
    pass


def log(message):
    print(f"[multihost] {message}", flush=True)


def run(cmd, check=True, timeout=120, **kwargs):
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, **kwargs)
    if check and result.returncode != 0:
        raise Failure(f"{' '.join(cmd)} exited {result.returncode}: {result.stderr.strip()}")
    return result


class Manifests:
    """The rendered dev overlay, by kind and name."""

    def __init__(self, root):
        rendered = run(["kubectl", "kustomize", os.path.join(root, OVERLAY)]).stdout
        self.objects = [o for o in yaml.safe_load_all(rendered) if o]

    def of_kind(self, kind):
        return [o for o in self.objects if o["kind"] == kind]

    def get(self, kind, name):
        for o in self.of_kind(kind):
            if o["metadata"]["name"] == name:
                return o
        raise Failure(f"the dev overlay has no {kind} {name}")

    def environment(self, container, pod_name, scratch_paths):
        """The container's environment as the kubelet would give it."""
        env = {}
        for source in container.get("envFrom", []):
            if "configMapRef" in source:
                env.update(self.get("ConfigMap", source["configMapRef"]["name"]).get("data", {}))
            elif "secretRef" in source:
                for key, value in self.get("Secret", source["secretRef"]["name"])["data"].items():
                    env[key] = base64.b64decode(value).decode()
            else:
                raise Failure(f"container {container['name']}: envFrom {source} is not understood")
        for var in container.get("env", []):
            if "value" in var:
                env[var["name"]] = str(var["value"])
                continue
            source = var.get("valueFrom", {})
            if "secretKeyRef" in source:
                ref = source["secretKeyRef"]
                data = self.get("Secret", ref["name"])["data"]
                env[var["name"]] = base64.b64decode(data[ref["key"]]).decode()
            elif "configMapKeyRef" in source:
                ref = source["configMapKeyRef"]
                env[var["name"]] = self.get("ConfigMap", ref["name"])["data"][ref["key"]]
            elif source.get("fieldRef", {}).get("fieldPath") == "metadata.name":
                env[var["name"]] = pod_name
            else:
                raise Failure(f"container {container['name']}: {var} is not understood")
        return {k: map_path(v, scratch_paths) for k, v in env.items()}


def map_path(value, scratch_paths):
    for image_path, tree_path in IMAGE_PATHS.items():
        value = value.replace(image_path, os.path.join(ROOT, tree_path))
    for image_path, scratch in scratch_paths.items():
        value = value.replace(image_path, scratch)
    return value


def binary_of(container, binaries):
    name = container["image"].split("/")[-1].split(":")[0].split("@")[0]
    if name not in binaries:
        raise Failure(f"container {container['name']}: no binary for image {container['image']}")
    return binaries[name]


class Sandbox:
    """The bridge, the namespaces and the processes started in them."""

    def __init__(self, scratch):
        self.scratch = scratch
        self.hosts = {}  # namespace name -> address
        self.processes = {}  # name -> (Popen, log path)

    def bridge(self):
        run(["ip", "link", "set", "lo", "up"])
        run(["ip", "link", "add", BRIDGE, "type", "bridge"])
        run(["ip", "addr", "add", f"{SUBNET}.1/24", "dev", BRIDGE])
        run(["ip", "link", "set", BRIDGE, "up"])

    def host(self, name):
        """A namespace with one interface on the bridge; returns its address."""
        address = f"{SUBNET}.{10 + len(self.hosts)}"
        veth = f"v{len(self.hosts)}"
        run(["ip", "netns", "add", name])
        run(["ip", "link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", name])
        run(["ip", "link", "set", veth, "master", BRIDGE, "up"])
        run(in_ns(name, "ip") + ["addr", "add", f"{address}/24", "dev", "eth0"])
        run(in_ns(name, "ip") + ["link", "set", "eth0", "up"])
        run(in_ns(name, "ip") + ["link", "set", "lo", "up"])
        self.hosts[name] = address
        return address

    def cut(self, name, up):
        run(in_ns(name, "ip") + ["link", "set", "eth0", "up" if up else "down"])

    def start(self, name, namespace, argv, env):
        path = os.path.join(self.scratch, "logs", f"{name}.log")
        out = open(path, "ab")
        process = subprocess.Popen(in_ns(namespace) + argv, env=env,
                                   stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        self.processes[name] = (process, path)
        return process

    def tail(self, name, lines=30):
        _, path = self.processes[name]
        with open(path, errors="replace") as f:
            return "".join(f.readlines()[-lines:])


def in_ns(name, *argv):
    """The command line that runs argv in the network namespace `name`: nsenter, which enters the
    network namespace only (`ip netns exec` and `ip -n` also remount /sys, which a chroot refuses)."""
    return ["nsenter", f"--net=/run/netns/{name}"] + list(argv)


def base_env():
    """What a container has besides its manifest's variables: a PATH, a home, no NTM_* at all."""
    return {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "HOME": "/nonexistent", "LANG": "C.UTF-8",
            "TZ": "UTC"}


class Scenario:
    def __init__(self, root, scratch, binaries):
        self.root = root
        self.scratch = scratch
        self.binaries = binaries
        self.sandbox = Sandbox(scratch)
        self.manifests = Manifests(root)
        self.tokens = os.path.join(scratch, "tokens")
        self.scratch_paths = {"/var/run/ntm/tokens": self.tokens}
        self.backend_timeout = None
        self.mounted = []  # what network() mounted, to unmount at the end

    # --- set-up --------------------------------------------------------------------------------
    def network(self):
        self.sandbox.bridge()
        # One host per Service of the overlay, named as the Service is (and the Job's own).
        names = ["ntm-db"] + [s["metadata"]["name"] for s in self.manifests.of_kind("Service")
                              if s["metadata"]["name"] != "ntm-db"] + ["ntm-migrate"]
        lines = ["127.0.0.1 localhost"]
        for name in names:
            lines.append(f"{self.sandbox.host(name)} {name}")
        hosts = os.path.join(self.scratch, "hosts")
        with open(hosts, "w") as f:
            f.write("\n".join(lines) + "\n")
        # Cluster DNS, for this sandbox only: its own mount namespace sees this file as /etc/hosts.
        if os.path.exists("/etc/hosts"):
            run(["mount", "--bind", hosts, "/etc/hosts"])
            self.mounted.append("/etc/hosts")
        else:
            # A bare root may have no /etc/hosts to mount over: a copy of /etc with one, then.
            etc = os.path.join(self.scratch, "etc")
            run(["cp", "-a", "/etc", etc])
            run(["cp", hosts, os.path.join(etc, "hosts")])
            run(["mount", "--bind", etc, "/etc"])
            self.mounted.append("/etc")
        log("hosts: " + ", ".join(f"{n} {a}" for n, a in self.sandbox.hosts.items()))

    def database(self):
        """MariaDB in its own namespace, on all its addresses, for the user and password the
        overlay's Secret and ConfigMap give, from the bridge's network only."""
        config = self.manifests.get("ConfigMap", "ntm-common")["data"]
        secret = self.manifests.get("Secret", "ntm-db")["data"]
        env = dict(os.environ)
        env.update({
            "NTM_MARIADB_BIND": "0.0.0.0",
            "NTM_MARIADB_USER": config["NTM_DB_USER"],
            "NTM_MARIADB_PASSWORD": base64.b64decode(secret["password"]).decode(),
            "NTM_MARIADB_USER_HOSTS": f"localhost {SUBNET}.%",
            "NTM_MARIADB_EXTRA_CNF": "innodb_flush_log_at_trx_commit=2\ninnodb_doublewrite=0",
        })
        script = (f'source "{self.root}/scripts/lib.sh" && NTM_LOG_NAME=multihost && '
                  f'ntm_mariadb_start "{self.scratch}/db" {config["NTM_DB_PORT"]}')
        result = run(in_ns("ntm-db", "bash", "-c", script), env=env,
                     check=False, timeout=120)
        if result.returncode != 0:
            raise Failure(f"MariaDB did not start: {result.stderr.strip()}")
        log(f"MariaDB up at ntm-db:{config['NTM_DB_PORT']} ({self.sandbox.hosts['ntm-db']})")

    def migrate(self):
        """The migration Job: its init containers in order, then its container, each to exit 0."""
        job = next(j for j in self.manifests.of_kind("Job")
                   if j["metadata"]["name"].startswith("ntm-migrate-"))
        spec = job["spec"]["template"]["spec"]
        for container in spec.get("initContainers", []) + spec["containers"]:
            env = base_env()
            env.update(self.manifests.environment(container, job["metadata"]["name"],
                                                  self.scratch_paths))
            argv = [binary_of(container, self.binaries)] + [
                map_path(a, self.scratch_paths) for a in container.get("args", [])]
            name = container["name"]
            process = self.sandbox.start(name, "ntm-migrate", argv, env)
            try:
                code = process.wait(timeout=180)
            except subprocess.TimeoutExpired:
                process.kill()
                raise Failure(f"job container {name} did not finish in 180 s:\n"
                              f"{self.sandbox.tail(name)}")
            if code != 0:
                raise Failure(f"job container {name} exited {code}:\n{self.sandbox.tail(name)}")
            log(f"job {job['metadata']['name']}: {name} done")

    def deployments(self):
        # The order does not matter for correctness (each waits for what it asks); starting the
        # ones others ask first only makes the start quicker.
        order = ["ntm-assessment", "ntm-plans", "ntm-registrations", "ntm-notifications",
                 "ntm-gateway"]
        deployments = {d["metadata"]["name"]: d for d in self.manifests.of_kind("Deployment")}
        if sorted(deployments) != sorted(order):
            raise Failure(f"the dev overlay's Deployments are {sorted(deployments)}")
        os.makedirs(self.tokens, exist_ok=True)
        for name in order:
            spec = deployments[name]["spec"]["template"]["spec"]
            (container,) = spec["containers"]
            env = base_env()
            env.update(self.manifests.environment(container, f"{name}-0", self.scratch_paths))
            if name == "ntm-gateway":
                self.backend_timeout = float(env["NTM_BACKEND_TIMEOUT_SECONDS"])
            argv = [binary_of(container, self.binaries)] + [
                map_path(a, self.scratch_paths) for a in container.get("args", [])]
            self.sandbox.start(name, name, argv, env)
            port = container["readinessProbe"]["grpc"]["port"]
            self.wait_healthy(name, port)

    def wait_healthy(self, name, port):
        """Polls the readiness probe's port from outside the namespace, as the kubelet does."""
        deadline = time.monotonic() + 60
        while True:
            process, _ = self.sandbox.processes[name]
            if process.poll() is not None:
                raise Failure(f"{name} exited {process.returncode}:\n{self.sandbox.tail(name)}")
            result = self.ntmctl(["health"], server=f"{name}:{port}", check=False)
            if result.returncode == 0:
                log(f"{name} SERVING at {name}:{port} ({self.sandbox.hosts[name]})")
                return
            if time.monotonic() > deadline:
                raise Failure(f"{name} not SERVING after 60 s: {result.stdout}{result.stderr}\n"
                              f"{self.sandbox.tail(name)}")
            time.sleep(0.5)

    # --- the scenario --------------------------------------------------------------------------
    def ntmctl(self, args, principal=None, server="ntm-gateway:50051", check=True, timeout=60):
        env = base_env()
        env["NTM_SERVER"] = server
        if principal:
            env["NTM_TOKEN_FILE"] = os.path.join(self.tokens, f"{principal}.token")
        result = run([self.binaries["ntmctl"]] + args, env=env, check=False, timeout=timeout)
        if check and result.returncode != 0:
            raise Failure(f"ntmctl {' '.join(args)} (as {principal}) exited {result.returncode}:\n"
                          f"{result.stdout}{result.stderr}")
        return result

    def expect(self, condition, message):
        if not condition:
            raise Failure(message)
        log(f"ok: {message}")

    def through_the_gateway(self):
        units = self.ntmctl(["units", "106", "--level=commune"], principal="can-bo-ban-bo")
        self.expect("Bản Bo" in units.stdout and "03424" in units.stdout,
                    "the communes of Tam Đường read through the gateway, Vietnamese intact")

        created = self.ntmctl(["create", "03424", "--as-of=2024-06-30"], principal="can-bo-ban-bo")
        self.expect("units/03424/assessments/2024-06-30" in created.stdout,
                    "Bản Bo's officer created its assessment (gateway -> assessment -> database)")

        refused = self.ntmctl(["create", "03412", "--as-of=2024-06-30"], principal="can-bo-ban-bo",
                              check=False)
        self.expect(refused.returncode == 1 and "PERMISSION_DENIED" in refused.stderr,
                    "Bản Bo's officer was refused Bình Lư's assessment")

        message = "Đề nghị xã Bản Bo cập nhật tỷ lệ người dân tham gia bảo hiểm y tế"
        self.ntmctl(["urge", "106", "--units=03424", "--indicators=15.2", f"--message={message}"],
                    principal="tam-duong-yte")
        inbox = self.ntmctl(["inbox", "list", "03424"], principal="can-bo-ban-bo")
        self.expect(message in inbox.stdout,
                    "the health office's urging reached Bản Bo's inbox (gateway -> notifications)")

        absent = self.ntmctl(["directive", "show", "106/khong-co"], principal="tam-duong-nnptnt",
                             check=False)
        self.expect(absent.returncode == 1 and "NOT_FOUND" in absent.stderr,
                    "the plans service answers through the gateway (NOT_FOUND for no directive)")

        http = run(["curl", "-sS", "--max-time", "10", "-X", "POST",
                    "-H", f"Authorization: Bearer {self.token('can-bo-ban-bo')}",
                    "-H", "Content-Type: application/json", "-d", '{"name": "units/03424"}',
                    "http://ntm-gateway:8080/ntm.assessment.v1.DirectoryService/GetUnit"],
                   check=False)
        self.expect(http.returncode == 0 and "Bản Bo" in http.stdout,
                    "the gateway's JSON face answers at ntm-gateway:8080")

        metrics = run(["curl", "-sS", "--max-time", "10", "http://ntm-plans:9462/metrics"],
                      check=False)
        self.expect(metrics.returncode == 0 and "ntm_" in metrics.stdout,
                    "the plans service's metrics are served on its pod address")

    def token(self, principal):
        with open(os.path.join(self.tokens, f"{principal}.token")) as f:
            return f.read().strip()

    def cut_off(self):
        self.sandbox.cut("ntm-plans", up=False)
        log("ntm-plans cut off the network (its link is down: packets to it are lost)")
        start = time.monotonic()
        cut = self.ntmctl(["--timeout=60", "directive", "show", "106/khong-co"],
                          principal="tam-duong-nnptnt", check=False, timeout=90)
        took = time.monotonic() - start
        self.expect(cut.returncode == 1 and "UNAVAILABLE" in cut.stderr,
                    f"the gateway answered UNAVAILABLE for the cut-off service in {took:.1f} s "
                    f"({cut.stderr.strip().splitlines()[0] if cut.stderr.strip() else 'no message'})")
        self.expect(took < self.backend_timeout + 3,
                    f"within the backend timeout ({self.backend_timeout:g} s), not the caller's 60 s")

        units = self.ntmctl(["units", "106", "--level=commune"], principal="can-bo-ban-bo")
        self.expect("Bản Bo" in units.stdout, "the other services answer meanwhile")

        self.sandbox.cut("ntm-plans", up=True)
        deadline = time.monotonic() + 60
        while True:
            again = self.ntmctl(["directive", "show", "106/khong-co"], principal="tam-duong-nnptnt",
                                check=False)
            if "NOT_FOUND" in again.stderr:
                break
            if time.monotonic() > deadline:
                raise Failure(f"the plans service did not come back in 60 s: {again.stderr}")
            time.sleep(1)
        self.expect(True, f"reconnected: the plans service answers again "
                          f"{time.monotonic() - deadline + 60:.1f} s after its link came back")

    def stop(self):
        """SIGTERM, as the kubelet sends it; each must drain and exit 0 within its grace period."""
        deployments = {d["metadata"]["name"]: d for d in self.manifests.of_kind("Deployment")}
        for name in ["ntm-gateway", "ntm-notifications", "ntm-registrations", "ntm-plans",
                     "ntm-assessment"]:
            process, _ = self.sandbox.processes[name]
            grace = deployments[name]["spec"]["template"]["spec"]["terminationGracePeriodSeconds"]
            start = time.monotonic()
            process.send_signal(signal.SIGTERM)
            try:
                code = process.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                process.kill()
                raise Failure(f"{name} still running {grace} s after SIGTERM")
            self.expect(code == 0, f"{name} exited 0 {time.monotonic() - start:.1f} s after SIGTERM "
                                   f"(grace period {grace} s)")

    def cleanup(self):
        for name, (process, _) in self.sandbox.processes.items():
            if process.poll() is None:
                process.kill()
        script = (f'source "{self.root}/scripts/lib.sh" && NTM_LOG_NAME=multihost && '
                  f'ntm_mariadb_stop "{self.scratch}/db"')
        run(["bash", "-c", script], check=False)
        # Undo the mounts: where the sandbox could not make them private (a chroot), unmounting
        # is what keeps them from outliving it.
        for name in self.sandbox.hosts:
            run(["ip", "netns", "delete", name], check=False)
        for target in self.mounted:
            run(["umount", target], check=False)
        run(["umount", "/run/netns"], check=False)


def main():
    global ROOT
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    ROOT, scratch = sys.argv[1], sys.argv[2]
    binaries = dict(arg.split("=", 1) for arg in sys.argv[3:])
    os.makedirs(os.path.join(scratch, "logs"), exist_ok=True)
    scenario = Scenario(ROOT, scratch, binaries)
    try:
        scenario.network()
        scenario.database()
        scenario.migrate()
        scenario.deployments()
        scenario.through_the_gateway()
        scenario.cut_off()
        scenario.stop()
    except (Failure, subprocess.TimeoutExpired) as e:
        log(f"FAILED: {e}")
        for name in scenario.sandbox.processes:
            log(f"--- last lines of {name} ---\n{scenario.sandbox.tail(name, 15)}")
        return 1
    finally:
        scenario.cleanup()
    log("all steps passed")
    return 0


ROOT = ""
if __name__ == "__main__":
    sys.exit(main())
