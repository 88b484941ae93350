#!/usr/bin/env bash
# The loop of the pipeline examples, run locally against the ECS emulator:
#   pull request: synth, plan, `alisg check-plan` gate
#   main:         apply the gated plan
#   nightly:      an out-of-band change; `alisg drift` (exit 2) -> apply -> `alisg drift` (exit 0)
# Uses examples/basic and examples/demo-seed.json. Needs `npm run build` and terraform on PATH;
# no cloud account, no network. Exits non-zero at the first step that does not behave.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/alisg-gitops-loop-XXXXXX")"
emulator_pid=""
cleanup() {
  if [ -n "$emulator_pid" ]; then kill "$emulator_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

alisg() { node "$root/bin/alisg.js" "$@"; }
# Terraform in the stack dir (a subshell, not -chdir: the implied plugin mirror
# terraform.d/plugins is looked up in the directory terraform was started in).
tf() { (cd "$stack" && terraform "$@"); }
say() { printf '\n== %s\n' "$*"; }
# Runs a command that must exit with the given code.
expect_exit() {
  local want="$1"
  shift
  set +e
  "$@"
  local got=$?
  set -e
  if [ "$got" != "$want" ]; then
    echo "local-loop: expected exit $want from: $*, got $got" >&2
    exit 1
  fi
}

say "emulator"
node "$root/bin/alisg.js" emulator --port 0 --seed "$root/examples/demo-seed.json" > "$work/emulator.out" 2>/dev/null &
emulator_pid=$!
for _ in $(seq 1 100); do
  grep -q "listening on" "$work/emulator.out" 2>/dev/null && break
  sleep 0.1
done
endpoint="$(sed -n 's/^alisg emulator listening on \(http:[^ ]*\)$/\1/p' "$work/emulator.out")"
[ -n "$endpoint" ] || { echo "local-loop: the emulator did not start" >&2; exit 1; }
echo "$endpoint"

# What the pipelines take from their secrets and variables.
export ALIBABA_CLOUD_ECS_ENDPOINT="$endpoint" ALIBABA_CLOUD_REGION_ID=cn-hangzhou
export ALIBABA_CLOUD_ACCESS_KEY_ID=test ALIBABA_CLOUD_ACCESS_KEY_SECRET=test
export TF_IN_AUTOMATION=1 TF_INPUT=0 CHECKPOINT_DISABLE=1 TF_CLI_CONFIG_FILE="$work/cli.tfrc"
: > "$work/cli.tfrc"
stack="$work/cdktf.out/stacks/basic"

say "pull request: synth (what \`cdktf synth\` runs), plan, alisg check-plan"
(cd "$work" && CDKTF_OUTDIR="$work/cdktf.out" node "$root/examples/basic/dist/main.js")
tf init -no-color > /dev/null
expect_exit 2 tf plan -no-color -detailed-exitcode -out=tfplan > /dev/null
tf show -json tfplan > "$work/plan.json"
alisg check-plan "$work/plan.json"

say "main: apply the gated plan"
tf apply -no-color tfplan | tail -n 1

say "nightly: someone removes i-web2 from sg-web out of band"
node -e '
  fetch(process.argv[1] + "/_emulator/instances/i-web2", {
    method: "PATCH",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ securityGroupIds: ["sg-base"] }),
  }).then((r) => { if (!r.ok) process.exit(1); });
' "$endpoint"
expect_exit 2 alisg drift --dir "$stack"

say "nightly: apply corrects it"
tf apply -no-color -auto-approve | tail -n 1
expect_exit 0 alisg drift --dir "$stack"

say "GitOps loop complete"
