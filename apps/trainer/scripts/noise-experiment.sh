#!/usr/bin/env bash
# Label-noise experiment on Home Depot: Stage 1 trained on clean, flipped (10% of the training
# grades) and audited labels, plus the audit alone at a tenth of the traffic. Runs one training at a
# time and prints the flagging scores and Stage 1 test NDCG@10 of each run.
#
#   MINE_REFINE_DATA_DIR=/path/to/data bash apps/trainer/scripts/noise-experiment.sh
#
# Needs the trainer built (pnpm turbo run build --filter @mine-refine/trainer...). Each training
# run takes several minutes on two cores; the runs go to runs/noise-*.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
cd "$root"
if [ -z "${MINE_REFINE_DATA_DIR:-}" ]; then
  echo "Set MINE_REFINE_DATA_DIR to the folder that contains homedepot-kaggle/." >&2
  exit 2
fi
trainer=(node apps/trainer/dist/cli.js train)

"${trainer[@]}" --config configs/noise-clean.yaml --restart
"${trainer[@]}" --config configs/noise-flipped.yaml --restart
"${trainer[@]}" --config configs/noise-audited.yaml --restart
# The audit alone at 86 expected clicks per query, for the traffic comparison.
"${trainer[@]}" --config configs/noise-audited.yaml --until audit \
  --set audit.engagement.meanClicksPerQuery=86 --set runDir=../runs/noise-audit-86 --set name=noise-audit-86 --restart

node --input-type=module - <<'NODE'
import { readFileSync, existsSync } from "node:fs";
const read = (file) => (existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : undefined);
console.log("| labels | Stage 1 test NDCG@10 |\n|---|---|");
for (const run of ["noise-clean", "noise-flipped", "noise-audited"]) {
  const metrics = read(`runs/${run}/metrics.json`);
  console.log(`| ${run} | ${metrics?.systems?.stage1?.["ndcg@10"]?.toFixed(4) ?? "missing"} |`);
}
console.log("\n| clicks per query | searches | flagged | precision | recall | errors removed | errors introduced |\n|---|---|---|---|---|---|---|");
for (const [clicks, run] of [[86, "noise-audit-86"], [860, "noise-audited"]]) {
  const audit = read(`runs/${run}/stages/audit/audit.json`);
  if (audit === undefined) continue;
  const e = audit.experiment;
  const flagged = audit.findingsByRule.under_graded + audit.findingsByRule.over_graded;
  console.log(`| ${clicks} | ${audit.searchCount} | ${flagged} | ${e.precision.toFixed(3)} | ${e.recall.toFixed(3)} | ${(100 * e.errorsRemovedShare).toFixed(1)}% | ${e.errorsIntroduced} |`);
}
NODE
echo
node apps/trainer/scripts/compare-runs.mjs runs/noise-clean runs/noise-flipped runs/noise-audited
