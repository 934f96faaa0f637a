#!/usr/bin/python3
"""A minimal CRI (Kubernetes Container Runtime Interface v1) client.

crictl is not packaged for Debian 12; tests/engines/cri.bats drives
containerd's CRI plugin through this instead.  It speaks gRPC over the CRI
socket with the messages of runtime.proto (next to this file), compiled by
protoc into --pb-dir (or $CRI_PB_DIR, or a temp dir) when missing or stale.
Methods are called by their gRPC path, so no service stubs are generated.

Requests are given as JSON in the protobuf JSON mapping (file names, or "-"
for standard input); responses are printed as JSON with the field names of
the .proto.  A failed call prints "cri-client: METHOD: CODE: DETAILS" on
standard error and exits 125.

  cri-client.py --socket SOCK version
  cri-client.py --socket SOCK run-pod POD.json [--runtime HANDLER]     -> pod id
  cri-client.py --socket SOCK pod-status POD [--verbose]
  cri-client.py --socket SOCK pods
  cri-client.py --socket SOCK stop-pod POD
  cri-client.py --socket SOCK remove-pod POD
  cri-client.py --socket SOCK create POD CONTAINER.json POD.json       -> container id
  cri-client.py --socket SOCK start|remove ID
  cri-client.py --socket SOCK stop ID [--timeout SECONDS]
  cri-client.py --socket SOCK status ID [--verbose]
  cri-client.py --socket SOCK ps [--pod POD] [--all]
  cri-client.py --socket SOCK exec-sync ID [--timeout S] -- CMD [ARG...]
        (the command's stdout and stderr are copied, its exit code is ours)
  cri-client.py --socket SOCK update-resources ID RESOURCES.json
  cri-client.py --socket SOCK image-status IMAGE
"""

import argparse
import importlib
import json
import os
import shutil
import subprocess
import sys
import tempfile

import grpc
from google.protobuf import json_format

HERE = os.path.dirname(os.path.abspath(__file__))
PROTO = os.path.join(HERE, "runtime.proto")
RPC_TIMEOUT = 120  # seconds; StopContainer waits out its own grace period


def load_messages(pb_dir):
    """Import runtime_pb2 from pb_dir, running protoc first if needed."""
    module = os.path.join(pb_dir, "runtime_pb2.py")
    if not os.path.exists(module) or os.path.getmtime(module) < os.path.getmtime(PROTO):
        os.makedirs(pb_dir, exist_ok=True)
        # protoc writes the module in place; a concurrent reader could see
        # half of it, so compile aside and rename.
        tmp = tempfile.mkdtemp(dir=pb_dir)
        subprocess.run(["protoc", "-I", HERE, "--python_out=" + tmp, PROTO], check=True)
        os.replace(os.path.join(tmp, "runtime_pb2.py"), module)
        shutil.rmtree(tmp)
    sys.path.insert(0, pb_dir)
    return importlib.import_module("runtime_pb2")


class Client:
    def __init__(self, socket, pb):
        self.pb = pb
        target = socket if "://" in socket else "unix://" + socket
        self.channel = grpc.insecure_channel(target)

    def call(self, service, method, request):
        response_type = getattr(self.pb, method + "Response")
        rpc = self.channel.unary_unary(
            "/runtime.v1.%s/%s" % (service, method),
            request_serializer=lambda m: m.SerializeToString(),
            response_deserializer=response_type.FromString,
        )
        try:
            return rpc(request, timeout=RPC_TIMEOUT)
        except grpc.RpcError as e:
            sys.stderr.write("cri-client: %s: %s: %s\n" % (method, e.code().name, e.details()))
            sys.exit(125)

    def runtime(self, method, **fields):
        return self.call("RuntimeService", method, getattr(self.pb, method + "Request")(**fields))

    def image(self, method, **fields):
        return self.call("ImageService", method, getattr(self.pb, method + "Request")(**fields))


def read_json(path):
    if path == "-":
        return json.load(sys.stdin)
    with open(path) as f:
        return json.load(f)


def parse(pb, message_name, path):
    return json_format.ParseDict(read_json(path), getattr(pb, message_name)())


def show(message):
    print(json.dumps(json_format.MessageToDict(
        message, preserving_proto_field_name=True, including_default_value_fields=True),
        indent=1, sort_keys=True))


def main():
    ap = argparse.ArgumentParser(description="minimal CRI v1 client")
    ap.add_argument("--socket", required=True, help="the CRI socket (a path or unix://PATH)")
    ap.add_argument("--pb-dir", default=os.environ.get("CRI_PB_DIR"),
                    help="where the compiled runtime_pb2 is kept (default $CRI_PB_DIR, else a temp dir)")
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("version")
    p = sub.add_parser("run-pod")
    p.add_argument("config")
    p.add_argument("--runtime", default="")
    p = sub.add_parser("pod-status")
    p.add_argument("pod")
    p.add_argument("--verbose", action="store_true")
    sub.add_parser("pods")
    for name in ("stop-pod", "remove-pod"):
        sub.add_parser(name).add_argument("pod")
    p = sub.add_parser("create")
    p.add_argument("pod")
    p.add_argument("config")
    p.add_argument("pod_config")
    for name in ("start", "remove"):
        sub.add_parser(name).add_argument("id")
    p = sub.add_parser("stop")
    p.add_argument("id")
    p.add_argument("--timeout", type=int, default=0)
    p = sub.add_parser("status")
    p.add_argument("id")
    p.add_argument("--verbose", action="store_true")
    p = sub.add_parser("ps")
    p.add_argument("--pod", default="")
    p = sub.add_parser("exec-sync")
    p.add_argument("id")
    p.add_argument("--timeout", type=int, default=0)
    p.add_argument("argv", nargs="+")
    p = sub.add_parser("update-resources")
    p.add_argument("id")
    p.add_argument("resources")
    sub.add_parser("image-status").add_argument("image")
    a = ap.parse_args()

    pb_dir = a.pb_dir
    cleanup = None
    if not pb_dir:
        pb_dir = cleanup = tempfile.mkdtemp(prefix="cri-pb-")
    try:
        pb = load_messages(pb_dir)
    finally:
        if cleanup:
            shutil.rmtree(cleanup)
    c = Client(a.socket, pb)

    if a.cmd == "version":
        show(c.runtime("Version", version="v1"))
    elif a.cmd == "run-pod":
        r = c.runtime("RunPodSandbox", config=parse(pb, "PodSandboxConfig", a.config),
                      runtime_handler=a.runtime)
        print(r.pod_sandbox_id)
    elif a.cmd == "pod-status":
        show(c.runtime("PodSandboxStatus", pod_sandbox_id=a.pod, verbose=a.verbose))
    elif a.cmd == "pods":
        show(c.runtime("ListPodSandbox"))
    elif a.cmd == "stop-pod":
        c.runtime("StopPodSandbox", pod_sandbox_id=a.pod)
    elif a.cmd == "remove-pod":
        c.runtime("RemovePodSandbox", pod_sandbox_id=a.pod)
    elif a.cmd == "create":
        r = c.runtime("CreateContainer", pod_sandbox_id=a.pod,
                      config=parse(pb, "ContainerConfig", a.config),
                      sandbox_config=parse(pb, "PodSandboxConfig", a.pod_config))
        print(r.container_id)
    elif a.cmd == "start":
        c.runtime("StartContainer", container_id=a.id)
    elif a.cmd == "stop":
        c.runtime("StopContainer", container_id=a.id, timeout=a.timeout)
    elif a.cmd == "remove":
        c.runtime("RemoveContainer", container_id=a.id)
    elif a.cmd == "status":
        show(c.runtime("ContainerStatus", container_id=a.id, verbose=a.verbose))
    elif a.cmd == "ps":
        f = pb.ContainerFilter(pod_sandbox_id=a.pod)
        show(c.runtime("ListContainers", filter=f))
    elif a.cmd == "exec-sync":
        argv = a.argv[1:] if a.argv[0] == "--" else a.argv
        r = c.runtime("ExecSync", container_id=a.id, cmd=argv, timeout=a.timeout)
        sys.stdout.buffer.write(r.stdout)
        sys.stdout.flush()
        sys.stderr.buffer.write(r.stderr)
        sys.stderr.flush()
        sys.exit(r.exit_code)
    elif a.cmd == "update-resources":
        c.runtime("UpdateContainerResources", container_id=a.id,
                  linux=parse(pb, "LinuxContainerResources", a.resources))
    elif a.cmd == "image-status":
        show(c.image("ImageStatus", image=pb.ImageSpec(image=a.image)))


if __name__ == "__main__":
    main()
