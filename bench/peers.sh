#!/usr/bin/env bash
# vnetc side by side with Checkov and cfn-lint on the same synthetic network, in one run.
#
#   bench/peers.sh [SIZES...]        default: S M L   (XL: Checkov does not finish in 10 min)
#   bench/peers.sh hub:100           the hub-and-spoke network of bench/hub-spoke.py, 100 spokes
#
# Creates a virtualenv with pinned Checkov and cfn-lint (PEERS_VENV, default
# ${TMPDIR:-/tmp}/vnet-peers-venv), builds vnetc and the generator in release mode, writes
# each size as .vnet, Terraform and CloudFormation (bench/netgen), runs every tool with a
# 10-minute cap (PEER_TIMEOUT seconds) under GNU time, and prints wall time, peak memory and
# the ratios peer / vnetc (vnetc's figure is the median of 5 runs). Not part of CI (it downloads the peers and takes minutes).
set -euo pipefail
cd "$(dirname "$0")/.."

CHECKOV_VERSION=3.3.30
CFN_LINT_VERSION=1.58.0
venv="${PEERS_VENV:-${TMPDIR:-/tmp}/vnet-peers-venv}"
timeout_s="${PEER_TIMEOUT:-600}"
work="${PEERS_DIR:-${TMPDIR:-/tmp}/vnet-peers}"
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(S M L)

if [ ! -x /usr/bin/time ]; then
  echo "error: GNU time is needed (apt-get install time)" >&2
  exit 2
fi
if [ ! -x "$venv/bin/checkov" ] || [ ! -x "$venv/bin/cfn-lint" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q "checkov==$CHECKOV_VERSION" "cfn-lint==$CFN_LINT_VERSION"
fi

cargo build --release --quiet -p vnet --bin vnetc && cargo build --release --quiet -p vnet-netgen --bin netgen
target="${CARGO_TARGET_DIR:-target}/release"
vnetc="$target/vnetc"
netgen="$target/netgen"

# run NAME TIMEOUT CMD... : prints "seconds peak_kb" (seconds "dnf" when it times out).
run() {
  local log="$work/$1.log" t="$2"
  shift 2
  local start end rc=0
  start=$(date +%s.%N)
  timeout "$t" /usr/bin/time -f "%M" -o "$work/time.out" "$@" >"$log" 2>&1 || rc=$?
  end=$(date +%s.%N)
  if [ "$rc" -eq 124 ]; then
    echo "dnf -"
  else
    echo "$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }') $(tail -1 "$work/time.out")"
  fi
}

ratio() { # peer_seconds vnet_seconds
  if [ "$1" = dnf ]; then
    awk -v p="$timeout_s" -v v="$2" 'BEGIN { printf "> %.0fx (did not finish in %ss)\n", p / v, p }'
  else
    awk -v p="$1" -v v="$2" 'BEGIN { printf "%.0fx\n", p / v }'
  fi
}

mkdir -p "$work"
echo "date: $(date -u +%Y-%m-%dT%H:%MZ)  machine: $(nproc) cores  checkov $CHECKOV_VERSION  cfn-lint $CFN_LINT_VERSION"
printf '%-4s %-22s %10s %10s %s\n' size tool seconds peak_MB "peer/vnetc"
for size in "${sizes[@]}"; do
  # `hub:N`: the hub-and-spoke network of bench/hub-spoke.py with N spokes (no
  # CloudFormation form: cfn-lint is not run on it).
  if [[ "$size" == hub:* ]]; then
    rm -rf "$work/$size"
    python3 bench/hub-spoke.py "${size#hub:}" "$work/$size"
    vnet_dir="$work/$size/vnet" tf_dir="$work/$size/terraform" cfn_dir=""
  else
    for f in vnet terraform cloudformation; do
      rm -rf "$work/$size-$f"
      "$netgen" --size "$size" --format "$f" -o "$work/$size-$f" 2>/dev/null
    done
    vnet_dir="$work/$size-vnet" tf_dir="$work/$size-terraform" cfn_dir="$work/$size-cloudformation"
  fi
  sync # the generated files' write-back must not run during the timings
  # vnetc: the median of 5 runs after a warm-up (one sub-second run is mostly noise); the
  # peers take minutes, so one run each.
  run "$size-vnetc-warm" "$timeout_s" "$vnetc" lint "$vnet_dir" >/dev/null
  for i in 1 2 3 4 5; do run "$size-vnetc-lint" "$timeout_s" "$vnetc" lint "$vnet_dir"; done \
    | sort -n | sed -n 3p >"$work/vnetc.median"
  read -r vs vm <"$work/vnetc.median"
  read -r cs cm < <(run "$size-checkov" "$timeout_s" "$venv/bin/checkov" -d "$tf_dir" --framework terraform --quiet --compact)
  mb() { [ "$1" = - ] && echo - || echo $(( $1 / 1024 )); }
  printf '%-4s %-22s %10s %10s\n' "$size" "vnetc lint" "$vs" "$(mb "$vm")"
  printf '%-4s %-22s %10s %10s %s\n' "$size" "checkov (terraform)" "$cs" "$(mb "$cm")" "$(ratio "$cs" "$vs")"
  if [ -n "$cfn_dir" ]; then
    read -r fs fm < <(run "$size-cfn-lint" "$timeout_s" "$venv/bin/cfn-lint" "$cfn_dir/"'*.json')
    printf '%-4s %-22s %10s %10s %s\n' "$size" "cfn-lint (cfn json)" "$fs" "$(mb "$fm")" "$(ratio "$fs" "$vs")"
  fi
done
