#!/usr/bin/env bash
# Start-up of the command line beside the JVM's own start, in one run, the commands taken in turn so that drift of
# a shared machine hits them alike. Run by hand from the repository root after `mvn -q -B install -DskipTests`:
#   bash orchestrator-bench/scripts/startup.sh [runs] [command ...]      (defaults: 15 runs of `status`)
# Prints the median and the spread of wall and processor time per variant, and each median over the JVM's.
set -euo pipefail
cd "$(dirname "$0")/../.."
runs="${1:-15}"
shift || true
args=("$@")
if [ ${#args[@]} -eq 0 ]; then
  args=(status)
fi
jar=$(ls orchestrator-cli/target/orchestrator-cli-*-all.jar)
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
export ORCHESTRATOR_HOME="$home"
bin/orchestrator "${args[@]}" >/dev/null 2>&1 || true   # creates the data directory, outside the measure

names=("jvm: java -version" "jar: java -jar (JVM defaults)" "bin/orchestrator")
run_variant() {
  case "$1" in
    0) java -version ;;
    1) java -jar "$jar" "${args[@]}" ;;
    2) bin/orchestrator "${args[@]}" ;;
  esac
}
declare -A wall cpu
for ((i = 0; i < runs; i++)); do
  for v in 0 1 2; do
    start=$(date +%s%N)
    t=$( { TIMEFORMAT='%U %S'; time run_variant "$v" >/dev/null 2>&1; } 2>&1 )
    end=$(date +%s%N)
    wall[$v]+="$(( (end - start) / 1000000 )) "
    cpu[$v]+="$(echo "$t" | awk '{printf "%d", ($1 + $2) * 1000}') "
  done
done
median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)], a[1], a[NR]}'; }
read -r jvm_wall _ _ <<<"$(echo "${wall[0]}" | median)"
printf '%-32s %22s %22s %10s\n' "variant (${args[*]}, $runs runs)" "wall ms median (min-max)" "cpu ms median (min-max)" "wall/jvm"
for v in 0 1 2; do
  read -r wm wmin wmax <<<"$(echo "${wall[$v]}" | median)"
  read -r cm cmin cmax <<<"$(echo "${cpu[$v]}" | median)"
  printf '%-32s %22s %22s %10s\n' "${names[$v]}" "$wm ($wmin-$wmax)" "$cm ($cmin-$cmax)" \
    "$(awk -v a="$wm" -v b="$jvm_wall" 'BEGIN {printf "%.1fx", a / b}')"
done
