#!/usr/bin/env bash
# Rebuilds examples/acme: the Acme Growth team's workspace, Oct-Nov 2026.
# Every file under examples/acme is written by the real `growth` CLI, event by
# event, in chronological order of --today: leads, handoffs to sales and their
# SLA clocks, feedback, content ideas, shout-outs and action items. The only
# edit after the CLI is `new` swapping random record ids for fixed ones.
# Re-runnable and deterministic: it deletes and recreates examples/acme.
#
#   cargo build && examples/make-acme.sh
#   GROWTH=/path/to/growth examples/make-acme.sh
set -euo pipefail

cd "$(dirname "$0")/.."
GROWTH=${GROWTH:-target/debug/growth}
WS=examples/acme

# Never touch the real user's config; no colour in the output.
HOME=$(mktemp -d)
export HOME NO_COLOR=1
unset GROWTH_WORKSPACE GROWTH_USER
trap 'rm -rf "$HOME"' EXIT

rm -rf "$WS"

last=""
# ev WHO "YYYY-MM-DDTHH:MM" ARGS...: record ARGS as WHO at that local time.
ev() {
  local who=$1 at=$2
  shift 2
  if [[ -n $last && ! $at > $last ]]; then
    echo "make-acme.sh: $at is not after $last (events must be chronological)" >&2
    exit 1
  fi
  last=$at
  "$GROWTH" -C "$WS" --no-input --quiet --as "$who" --today "$at" "$@" >"${ev_out:-/dev/null}"
}

# Records without a readable name (handoffs, feedback, ideas, wins, actions) get a random
# id, and anonymous feedback goes to journal/YYYY-MM/anonymous-<random>.toml. So that
# re-runs write the same files, `new` swaps each fresh id for a fixed one derived from a
# label, and names each anonymous file after its feedback's fixed id. (Plain bash 3 and
# POSIX tools, so that it also runs on macOS.)
sha256() { if command -v sha256sum >/dev/null; then sha256sum; else shasum -a 256; fi; }
# fixed_id LABEL: 10 characters of the record id alphabet, derived from LABEL.
fixed_id() {
  local hex alphabet=0123456789abcdefghjkmnpqrstvwxyz out="" i
  hex=$(printf 'acme:%s' "$1" | sha256)
  for i in 0 1 2 3 4 5 6 7 8 9; do
    out+=${alphabet:$(( 16#${hex:2*i:2} % 32 )):1}
  done
  printf '%s' "$out"
}
# new LABEL WHO "YYYY-MM-DDTHH:MM" ARGS...: like ev, for a command that creates a record;
# sets the variable LABEL (e.g. $h_northwind) to the record's fixed id.
new() {
  local label=$1 fixed real f
  shift
  if [[ ! $label =~ ^[a-z]_[a-z0-9_]+$ || -n ${!label:-} ]]; then
    echo "make-acme.sh: bad or reused label $label" >&2
    exit 1
  fi
  ev_out="$HOME/id" ev "$@"
  real=$(<"$HOME/id")
  [[ $real =~ ^[0-9a-z]{10}$ ]] || { echo "make-acme.sh: no record id from: $*" >&2; exit 1; }
  fixed=$(fixed_id "$label")
  for f in "$WS"/journal/*/*.toml; do
    if grep -qF "\"$real\"" "$f"; then
      sed -i.bak "s/\"$real\"/\"$fixed\"/g" "$f" && rm "$f.bak"
      case $f in
        */anonymous-*.toml) mv "$f" "${f%/*}/anonymous-$fixed.toml" ;;
      esac
    fi
  done
  printf -v "$label" '%s' "$fixed"
}

# --- The workspace and the team ---------------------------------------------
"$GROWTH" init "$WS" --team "Acme Growth" --timezone Europe/Berlin \
  --no-input --quiet --today "2026-10-01T08:30"
# Pin this clone's device id (local, git-ignored) so that re-runs write the same
# journal file names (journal/YYYY-MM/<author>-demo.toml) instead of a random id.
mkdir -p "$WS/.growth" && echo demo > "$WS/.growth/device"

member() { "$GROWTH" -C "$WS" --no-input --quiet --as maria --today "2026-10-01T08:45" member add "$@" >/dev/null; }
member maria  --name "Maria Lopez"    --dept marketing          --email maria.lopez@acme.example --leader
member jonas  --name "Jonas Weber"    --dept marketing          --email jonas.weber@acme.example
member priya  --name "Priya Nair"     --dept marketing          --email priya.nair@acme.example
member lukas  --name "Lukas Hoffmann" --dept sales              --email lukas.hoffmann@acme.example --leader
member tom    --name "Tom Berg"       --dept sales              --email tom.berg@acme.example
member sofia  --name "Sofia Rossi"    --dept sales              --email sofia.rossi@acme.example
member amara  --name "Amara Okafor"   --dept account-management --email amara.okafor@acme.example
member henrik --name "Henrik Lund"    --dept hr                 --email henrik.lund@acme.example

# --- Week of 2026-09-28 ------------------------------------------------------
# The quarter's goals, one per metric, set at the start of Q4. On 2026-11-27: q4-mqls is
# done; q4-deals, q4-new-leads, q4-sqls and the NPS are on track; q4-handoffs and
# q4-handoffs-accepted are at risk; q4-new-revenue is behind.
ev maria "2026-10-01T09:00" goal add "Q4 new revenue" --metric revenue --target 250000 \
  --from 2026-10-01 --to 2026-12-31 --credit marketing,sales,account-management
ev lukas "2026-10-01T09:02" goal add "Q4 deals won" --id q4-deals --metric deals --target 6 \
  --from 2026-10-01 --to 2026-12-31 --credit sales,account-management
ev maria "2026-10-01T09:04" goal add "Q4 new leads" --metric leads --target 45 \
  --from 2026-10-01 --to 2026-12-31 --credit marketing,hr
ev maria "2026-10-01T09:06" goal add "Q4 MQLs" --metric mqls --target 20 \
  --from 2026-10-01 --to 2026-12-31 --credit marketing
ev lukas "2026-10-01T09:08" goal add "Q4 SQLs" --metric sqls --target 25 \
  --from 2026-10-01 --to 2026-12-31 --credit marketing,sales
ev maria "2026-10-01T09:10" goal add "Q4 handoffs" --metric handoffs --target 40 \
  --from 2026-10-01 --to 2026-12-31 --credit marketing
ev lukas "2026-10-01T09:12" goal add "Q4 handoffs accepted" --metric accepted --target 30 \
  --from 2026-10-01 --to 2026-12-31 --credit sales
ev amara "2026-10-01T09:14" goal add "Customer NPS" --id nps --metric manual --target 50 --unit points \
  --from 2026-10-01 --to 2026-12-31 --credit account-management,sales,marketing
ev jonas "2026-10-01T10:15" lead add "Northwind Logistics" --contact "Hanna Meyer" \
  --email hanna.meyer@northwind-logistics.example --source webinar --value 24000 \
  --tag logistics --tag mid-market
ev priya "2026-10-01T11:40" lead add "Brightline Dental Group" --contact "Olivia Grant" \
  --email o.grant@brightline-dental.example --source content-download --value 8500 \
  --tag healthcare --tag smb
ev maria "2026-10-01T14:20" lead add "Kestrel Aerospace Components" --contact "Marcus Feld" \
  --email marcus.feld@kestrel-aero.example --source trade-show --value 78000 \
  --tag manufacturing --tag enterprise \
  --note "Met at the booth; wants a demo for their procurement team"
ev jonas "2026-10-02T09:30" lead add "Harborview Property Management" --contact "Nina Sorensen" \
  --email nina@harborview-pm.example --source paid-search --value 6200 \
  --tag real-estate --tag smb
ev amara "2026-10-02T10:05" lead add "Cobalt Ridge Analytics" --contact "Ethan Cole" \
  --email ethan.cole@cobaltridge.example --source referral --value 32000 \
  --tag saas --tag mid-market --note "Referred by our customer Fairhaven Bank"
ev priya "2026-10-02T15:10" lead qualify northwind-logistics --met budget,need,timeline
new h_northwind priya "2026-10-02T15:25" handoff northwind-logistics --to tom \
  --note "Asked for pricing after the route-planning webinar; budget approved for Q4; Hanna decides with their COO and wants to choose before the Q1 peak"

# --- Week of 2026-10-05 ------------------------------------------------------
ev maria "2026-10-05T10:45" lead add "Lindqvist Möbel AB" --id lindqvist-mobel --contact "Erik Lindqvist" \
  --email erik@lindqvist-mobel.example --source trade-show --value "18000 EUR" \
  --tag retail --tag emea
ev tom   "2026-10-05T10:50" handoff accept "$h_northwind" --note "Calling Hanna this afternoon"
ev jonas "2026-10-05T14:00" lead qualify kestrel --met budget,authority,need
ev tom   "2026-10-05T14:10" handoff contact "$h_northwind" \
  --note "Intro call; discovery call with their dispatch lead tomorrow"
new h_kestrel maria "2026-10-05T14:30" handoff kestrel-aerospace-components --to lukas \
  --note "Met Marcus at the booth; a procurement team of 5 wants a demo; enterprise buyer, expect a security review"
ev lukas "2026-10-05T16:10" handoff accept "$h_kestrel" --note "Proposing a demo for Thursday"
ev priya "2026-10-06T09:20" lead add "Pinecrest Veterinary Clinics" --contact "Sarah Whitfield" \
  --email s.whitfield@pinecrest-vet.example --source webinar --value 5400 \
  --tag healthcare --tag smb
ev lukas "2026-10-06T09:45" handoff contact "$h_kestrel"
ev jonas "2026-10-06T11:00" lead add "Meridian Freight Partners" --contact "Daniel Okoye" \
  --email daniel.okoye@meridianfreight.example --source paid-search --value 41000 \
  --tag logistics --tag mid-market
ev tom   "2026-10-06T13:30" lead edit northwind --note "Discovery call done: 40 trucks, wants route planning live before the Q1 peak"
new i_golive tom "2026-10-06T13:45" idea "Fleet managers ask how long it takes to go live before their peak season" \
  --lead northwind-logistics --offer "Go-live timeline one-pager: from signature to first routes in 6 weeks"
ev priya "2026-10-06T16:00" lead qualify cobalt-ridge-analytics --met budget,authority,need,timeline
new h_cobalt priya "2026-10-06T16:15" handoff cobalt-ridge-analytics --to sofia \
  --note "Referral from Fairhaven Bank; Ethan (VP Data) has budget signed off and wants to decide this quarter"
ev amara "2026-10-07T09:45" lead add "Alder & Finch Law" --contact "Rebecca Alder" \
  --email r.alder@alderfinch.example --source referral --value 12000 \
  --tag legal --tag smb
ev sofia "2026-10-07T10:00" handoff accept "$h_cobalt" --note "Call with Ethan booked for 11:00"
ev sofia "2026-10-07T11:05" handoff contact "$h_cobalt"
ev maria "2026-10-07T14:15" lead qualify meridian-freight-partners --met budget,need
ev jonas "2026-10-08T10:00" lead add "Solstice Energy Cooperative" --contact "Jakob Brandt" \
  --email jakob.brandt@solstice-energy.example --source webinar --value "26500 EUR" \
  --tag energy --tag emea
ev priya "2026-10-08T15:00" lead qualify "Alder & Finch Law" --met budget,authority,need
new h_alder priya "2026-10-08T15:10" handoff alder-and-finch-law --to tom \
  --note "Referral via Amara; Rebecca is the managing partner and signs herself; wants matter tracking for 12 lawyers"
ev jonas "2026-10-09T09:30" lead stage harborview-property-management nurture \
  --reason "Small portfolio; revisit after their Q1 budget"
ev maria "2026-10-09T11:00" lead qualify lindqvist-mobel --met authority,need,timeline
ev tom   "2026-10-09T14:00" handoff accept "$h_alder" \
  --note "Sorry, buried in the Northwind proposal; calling Rebecca now"
ev tom   "2026-10-09T14:30" lead stage northwind-logistics opportunity
ev tom   "2026-10-09T15:00" handoff contact "$h_alder"
new f_thin_notes tom "2026-10-09T16:00" feedback --kind missing-the-mark \
  "Paid-search leads arrive with a company name and nothing else: I need the pain, the budget and who decides before I call"

# --- Week of 2026-10-12 ------------------------------------------------------
ev priya "2026-10-12T09:15" lead add "Quarry Lane Construction" --contact "Mike Donnelly" \
  --email mdonnelly@quarrylane.example --source trade-show --value 15000 \
  --tag construction
new a_template maria "2026-10-12T10:40" action add \
  "Draft a handoff note template: pain, budget, timeline, who decides" --owner maria --due 2026-10-16
ev maria "2026-10-12T14:00" lead qualify meridian-freight-partners --met timeline
new h_meridian maria "2026-10-12T14:15" handoff meridian-freight-partners --to sofia \
  --note "Carrier with 60 trucks comparing route planners; budget and need confirmed; wants to decide by the end of October"
ev jonas "2026-10-12T15:30" lead add "Tidewater Seafoods" --contact "Ana Costa" \
  --email ana.costa@tidewater-seafoods.example --source content-download --value 7200 \
  --tag food --tag smb
ev sofia "2026-10-13T09:15" handoff accept "$h_meridian" --note "Calling Daniel after our team sync"
ev henrik "2026-10-13T09:40" lead add "Vantage Point Staffing" --contact "Chris Hale" \
  --email chris.hale@vantagepoint-staffing.example --source referral --value 9800 \
  --owner priya --tag staffing --tag smb \
  --note "Referred by their recruiting lead, the agency we hire engineers through"
ev priya "2026-10-13T10:30" lead stage quarry-lane-construction nurture \
  --reason "Project budget frozen until spring"
ev lukas "2026-10-13T13:00" lead stage kestrel-aerospace-components opportunity
ev lukas "2026-10-13T14:30" lead edit kestrel-aerospace-components \
  --note "Asked for a security review and an on-prem option; sent the questionnaire"
new i_security lukas "2026-10-13T15:00" idea "Enterprise buyers want our security answers before they sit through a demo" \
  --lead kestrel-aerospace-components --offer "Security and compliance FAQ: SOC 2, DPA, on-prem option"
ev maria "2026-10-14T09:30" lead add "Greenfield Organic Grocers" --contact "Lena Vogt" \
  --email lena.vogt@greenfield-organic.example --source paid-search --value 11000 \
  --tag retail
ev jonas "2026-10-14T10:15" lead add "Summit Peak Fitness" --contact "Jordan Reyes" \
  --email jordan@summitpeakfitness.example --source paid-search --value 3200 \
  --tag fitness --tag smb
ev sofia "2026-10-14T10:30" handoff contact "$h_meridian" \
  --note "Reached Daniel at last; he sees a competitor's demo on Friday"
ev jonas "2026-10-14T15:45" lead stage summit-peak-fitness nurture \
  --reason "Single studio, too small for now"
ev jonas "2026-10-15T10:00" lead qualify solstice --met budget,need,timeline
new h_solstice jonas "2026-10-15T10:20" handoff solstice-energy-cooperative --to lukas \
  --note "Energy co-op; budget and need confirmed; Jakob wants a pilot before their winter peak"
ev priya "2026-10-15T11:30" lead qualify tidewater-seafoods --met budget,need,timeline
new h_tidewater priya "2026-10-15T11:45" handoff tidewater-seafoods --to sofia \
  --note "Downloaded the cold-chain guide twice; Ana says the budget is approved and they decide this month"
ev lukas "2026-10-15T13:30" handoff reject "$h_solstice" --reason bad-timing \
  --note "Jakob confirmed their board only approves new vendors in March: nurture and hand it back in February"
ev tom   "2026-10-15T14:00" lead stage alder-and-finch-law opportunity
ev sofia "2026-10-15T14:30" handoff accept "$h_tidewater"
ev priya "2026-10-16T09:30" lead add "Oakmont Senior Living" --contact "Patricia Haynes" \
  --email phaynes@oakmont-living.example --source webinar --value 28000 \
  --tag healthcare --tag mid-market
ev sofia "2026-10-16T09:50" handoff contact "$h_tidewater"
ev tom   "2026-10-16T10:45" lead stage northwind-logistics won
ev tom   "2026-10-16T10:50" lead edit northwind-logistics \
  --note "Signed a 24-month contract; onboarding kickoff on 2026-10-26 with Amara"
ev maria "2026-10-16T11:30" action done "$a_template"
ev sofia "2026-10-16T13:00" lead stage cobalt-ridge-analytics opportunity
ev priya "2026-10-16T15:00" lead qualify vantage-point-staffing --met authority,need,timeline
new h_vantage_1 priya "2026-10-16T15:15" handoff vantage-point-staffing --to sofia \
  --note "Referral from Henrik"
new h_lindqvist maria "2026-10-16T15:30" handoff lindqvist-mobel --to tom \
  --note "Erik runs 14 furniture stores in Sweden and Germany and wants one view of stock; budget in EUR, not confirmed yet"

# --- Week of 2026-10-19 ------------------------------------------------------
ev maria "2026-10-19T09:20" lead add "Rheinblick Hotels GmbH" --contact "Felix Braun" \
  --email felix.braun@rheinblick-hotels.example --source trade-show --value "45000 EUR" \
  --tag hospitality --tag emea
ev sofia "2026-10-19T10:30" handoff reject "$h_vantage_1" --reason missing-context \
  --note "Who decides, what do they need, is there a budget? Happy to take it once the note says"
ev maria "2026-10-19T10:40" feedback resolve "$f_thin_notes" \
  --note "Handoff note template agreed: every note covers the pain, the budget, the timeline and who decides"
new a_kickoff lukas "2026-10-19T10:45" action add \
  "Prepare the Northwind onboarding kickoff" --owner amara --due 2026-10-23
ev tom   "2026-10-19T13:30" handoff accept "$h_lindqvist" --note "Missed it on Friday; emailing Erik now"
ev amara "2026-10-19T14:00" lead add "Silverline Payroll Services" --contact "Ravi Shah" \
  --email ravi.shah@silverline-payroll.example --source referral --value 16000 \
  --owner priya --tag fintech
ev sofia "2026-10-20T10:00" lead stage meridian-freight-partners opportunity
ev tom   "2026-10-20T10:15" handoff contact "$h_lindqvist" \
  --note "Erik was travelling; short call, he wants a proposal in EUR"
ev jonas "2026-10-20T11:30" lead add "Copperleaf Insurance Brokers" --contact "Grace Liu" \
  --email grace.liu@copperleaf-insurance.example --source content-download --value 19500 \
  --tag insurance --tag mid-market
ev maria "2026-10-20T15:00" lead qualify rheinblick --met budget,authority,need,timeline
new h_rheinblick maria "2026-10-20T15:10" handoff rheinblick-hotels-gmbh --to lukas \
  --note "Six hotels on the Rhine; Felix (COO) owns the budget and wants a framework agreement before the 2027 season"
ev tom   "2026-10-21T09:30" lead stage alder-and-finch-law won
ev tom   "2026-10-21T09:35" lead edit alder-and-finch-law --note "Closed at list price; referral credit to Amara"
new w_alder lukas "2026-10-21T09:50" win \
  "Alder & Finch Law signed at list price: Amara's referral, Priya's qualification and Tom's close" \
  --credit amara,priya,tom
ev lukas "2026-10-21T10:00" handoff accept "$h_rheinblick" \
  --note "Felix is at a conference until Wednesday; emailing him now"
ev priya "2026-10-21T11:00" lead qualify greenfield-organic-grocers --met budget,need
ev lukas "2026-10-21T14:20" handoff contact "$h_rheinblick"
ev maria "2026-10-21T15:00" idea status "$i_golive" planned
ev priya "2026-10-22T10:00" lead qualify silverline-payroll-services --met budget,authority,need
new h_silverline priya "2026-10-22T10:15" handoff silverline-payroll-services --to tom \
  --note "Referral via Amara; Ravi's CFO sponsors replacing their payroll reporting; budget confirmed"
ev sofia "2026-10-22T11:30" lead stage tidewater-seafoods lost \
  --reason "No budget this year after a weak Q3"
ev jonas "2026-10-22T15:00" lead qualify copperleaf-insurance-brokers --met budget,need,timeline
new h_copperleaf jonas "2026-10-22T15:20" handoff copperleaf-insurance-brokers --to sofia \
  --note "Grace downloaded the broker guide and asked for a demo; 3 branches; budget and timeline confirmed"
ev tom   "2026-10-22T16:30" handoff accept "$h_silverline" \
  --note "On site at Northwind all day; calling Ravi first thing tomorrow"
ev amara "2026-10-23T09:30" action done "$a_kickoff"
ev priya "2026-10-23T09:45" lead add "Granite State Credit Union" --contact "Walter Pike" \
  --email wpike@granitestate-cu.example --source webinar --value 36000 \
  --tag fintech --tag mid-market
ev sofia "2026-10-23T09:50" handoff accept "$h_copperleaf"
ev tom   "2026-10-23T10:00" handoff contact "$h_silverline"
ev sofia "2026-10-23T11:00" lead stage cobalt-ridge-analytics won
ev sofia "2026-10-23T11:05" lead edit cobalt-ridge-analytics \
  --note "Signed; expansion to their EU team possible in Q2, handed to Amara"
ev sofia "2026-10-23T13:00" handoff contact "$h_copperleaf"
ev lukas "2026-10-23T14:00" lead stage rheinblick-hotels-gmbh opportunity

# --- Week of 2026-10-26 (clocks went back on 2026-10-25: CET from here) ------
ev amara "2026-10-26T10:30" lead edit northwind-logistics \
  --note "Onboarding kickoff held; go-live planned for 2026-12-07"
ev priya "2026-10-26T11:00" lead qualify brightline-dental-group --met need,timeline
ev jonas "2026-10-26T14:00" lead add "Evergreen Facility Services" --contact "Carlos Mendes" \
  --email carlos.mendes@evergreen-fs.example --source paid-search --value 13500 \
  --tag facilities
new f_long_meeting henrik "2026-10-26T16:00" feedback --kind missing-the-mark --anonymous \
  "The Monday meeting ran 70 minutes again: we read out every lead instead of the ones that moved"
ev amara "2026-10-27T09:00" goal checkin nps 38 --note "October customer survey, 44 answers"
ev priya "2026-10-27T11:00" lead qualify oakmont-senior-living --met budget,need
new f_copy_am amara "2026-10-27T12:00" feedback --kind suggestion \
  "Copy account management on handoffs of leads referred by our customers: we know the history and can warm up the intro"
ev jonas "2026-10-27T14:00" idea status "$i_golive" in-progress
ev maria "2026-10-27T15:30" lead add "Lumen Biotech" --contact "Ines Carvalho" \
  --email ines.carvalho@lumen-bio.example --source referral --value 80000 \
  --tag life-sciences --tag enterprise --note "Introduced by a board member"
ev priya "2026-10-28T09:15" lead qualify granite-state-credit-union --met budget,authority,timeline
new h_granite priya "2026-10-28T09:30" handoff granite-state-credit-union --to tom \
  --note "Walter (VP Operations) has budget for Q1 and their COO signs off; wants a demo of member onboarding"
ev tom   "2026-10-28T10:50" handoff accept "$h_granite" --note "Proposing demo dates to Walter"
ev sofia "2026-10-28T11:00" lead stage meridian-freight-partners lost \
  --reason "Chose a competitor with an existing TMS integration"
new i_tms sofia "2026-10-28T11:20" idea "Logistics prospects compare route planners on TMS integrations first" \
  --lead meridian-freight-partners --offer "Integration guide for the five most common TMS"
ev maria "2026-10-28T14:00" lead qualify lumen-biotech --met budget,authority,need
new h_lumen maria "2026-10-28T14:10" handoff lumen-biotech --to lukas \
  --note "Board-member intro; Ines (Head of Lab Ops) owns the budget; procurement will want a DPA and our SOC 2 report"
ev tom   "2026-10-28T15:00" handoff contact "$h_granite"
ev lukas "2026-10-28T15:30" handoff accept "$h_lumen"
ev lukas "2026-10-29T10:00" handoff contact "$h_lumen"
ev priya "2026-10-29T11:30" lead add "Redwood Coast Brewing" --contact "Sam Turner" \
  --email sam@redwoodcoastbrewing.example --source trade-show --value 6800 \
  --tag food
ev tom   "2026-10-29T15:00" lead edit silverline-payroll-services \
  --note "Our champion left the company; the new CFO wants to wait"
ev sofia "2026-10-30T10:00" lead stage copperleaf-insurance-brokers opportunity
ev jonas "2026-10-30T13:00" lead qualify evergreen-facility-services --met budget,need,timeline
new h_evergreen jonas "2026-10-30T13:15" handoff evergreen-facility-services --to tom \
  --note "Carlos asked for pricing on the landing page; 120 cleaning staff on 9 sites; budget and timeline confirmed"

# --- Week of 2026-11-02 ------------------------------------------------------
ev tom   "2026-11-02T09:10" handoff reject "$h_evergreen" --reason not-a-fit \
  --note "They need shift scheduling for cleaning crews, not a sales pipeline; we do not do workforce planning"
ev jonas "2026-11-02T09:30" lead add "Atlas Fleet Telematics" --contact "Noah Fischer" \
  --email noah.fischer@atlas-fleet.example --source webinar --value 22000 \
  --tag logistics --tag saas
ev lukas "2026-11-02T10:40" feedback resolve "$f_long_meeting" \
  --note "From today the meeting covers only leads that changed stage and handoffs past the SLA"
new a_first_calls lukas "2026-11-02T10:45" action add \
  "Block a daily slot for first calls so new SQLs hear from us the same day" --owner sofia --due 2026-11-06
ev lukas "2026-11-02T11:30" idea status "$i_security" in-progress
ev priya "2026-11-02T14:00" lead stage redwood-coast-brewing nurture \
  --reason "Seasonal business; follow up in February"
new f_next_step jonas "2026-11-03T09:30" feedback --kind missing-the-mark \
  "Rejected handoffs come back without a next step: tell us what would make the lead ready for sales"
ev priya "2026-11-03T10:00" lead add "Mariner Dental Labs" --contact "Helen Brooks" \
  --email helen.brooks@mariner-dental.example --source content-download --value 5900 \
  --tag healthcare --tag smb
ev lukas "2026-11-03T11:00" lead stage lumen-biotech opportunity
ev lukas "2026-11-03T11:05" lead edit lumen-biotech \
  --note "Procurement needs a DPA and our SOC 2 report; legal review in progress"
ev sofia "2026-11-03T14:30" lead edit copperleaf-insurance-brokers \
  --note "Pilot with 2 branches agreed; proposal due 2026-11-13"
ev maria "2026-11-04T10:00" lead add "Ironbridge Machining" --contact "Paul Kessler" \
  --email p.kessler@ironbridge-machining.example --source trade-show --value 54000 \
  --tag manufacturing --tag enterprise
ev jonas "2026-11-04T11:00" idea status "$i_golive" published \
  --link https://acme.example/resources/go-live-timeline
ev priya "2026-11-04T14:00" lead qualify brightline-dental-group --met budget
new h_brightline priya "2026-11-04T14:20" handoff brightline-dental-group --to sofia \
  --note "Olivia (COO) runs 4 practices; wants online booking and recall reminders; budget confirmed this week"
ev sofia "2026-11-04T16:00" handoff accept "$h_brightline"
ev henrik "2026-11-05T09:30" lead add "Cedar Hollow Schools Trust" --contact "Mark Ellison" \
  --email m.ellison@cedarhollow-schools.example --source referral --value 17500 \
  --owner priya --tag education
ev sofia "2026-11-05T10:00" handoff contact "$h_brightline"
ev maria "2026-11-05T11:00" lead qualify oakmont-senior-living --met timeline
ev sofia "2026-11-05T12:00" action done "$a_first_calls"
ev tom   "2026-11-05T15:00" lead stage silverline-payroll-services lost \
  --reason "Bad timing: the new CFO froze vendor changes until 2027"
new i_roi tom "2026-11-05T15:20" idea "After our champion left, the new CFO wanted the business case rebuilt from scratch" \
  --lead silverline-payroll-services --offer "CFO-ready ROI calculator"

# --- Week of 2026-11-09 ------------------------------------------------------
ev jonas "2026-11-09T10:00" lead add "Bluewater Travel Co." --contact "Maya Patel" \
  --email maya.patel@bluewater-travel.example --source webinar --value 4300 \
  --tag travel --tag smb
ev maria "2026-11-09T10:44" meeting record --date 2026-11-09 \
  --attendee maria --attendee jonas --attendee priya --attendee lukas --attendee tom \
  --attendee sofia --attendee amara \
  --note "Webinar leads reach sql twice as often as paid search this quarter" \
  --note "Lindqvist is quiet since the first call; Tom follows up" \
  --decision "Handoffs carry budget, decision maker and deadline in the note, or sales sends them back" \
  --pulse maria=4 --pulse jonas=3 --pulse priya=4 --pulse lukas=4 --pulse tom=3 --pulse sofia=4 --pulse amara=4
new a_webinar maria "2026-11-09T10:45" action add \
  "Plan a customer webinar with Northwind after their go-live" --owner jonas --due 2026-12-11 \
  --meeting 2026-11-09
ev priya "2026-11-09T11:00" lead qualify cedar-hollow-schools-trust --met budget,authority,need,timeline
new h_cedar priya "2026-11-09T11:15" handoff cedar-hollow-schools-trust --to sofia \
  --note "Henrik's referral: Mark (CFO) buys IT for 7 schools; budget approved; wants it live for the spring term"
ev maria "2026-11-09T11:30" idea status "$i_tms" planned
ev sofia "2026-11-09T13:00" handoff accept "$h_cedar"
ev jonas "2026-11-09T14:00" lead qualify atlas-fleet-telematics --met budget,need,timeline
ev sofia "2026-11-09T15:30" handoff contact "$h_cedar"
ev maria "2026-11-10T10:00" lead qualify ironbridge-machining --met budget,authority,need
new h_ironbridge maria "2026-11-10T10:20" handoff ironbridge-machining --to lukas \
  --note "Paul (plant director) has budget for a 3-site rollout; wants to see the ERP integration"
ev lukas "2026-11-10T12:00" handoff accept "$h_ironbridge" --note "Calling Paul tomorrow"
ev lukas "2026-11-11T10:00" lead stage rheinblick-hotels-gmbh won
ev lukas "2026-11-11T10:05" lead edit rheinblick-hotels-gmbh \
  --note "Framework agreement for 6 hotels, invoiced in EUR"
new w_rheinblick maria "2026-11-11T10:30" win \
  "Rheinblick Hotels: from a chat at our trade-show booth to a 6-hotel framework deal in eight weeks" \
  --credit maria,lukas,amara
ev priya "2026-11-11T15:00" lead qualify mariner-dental-labs --met budget,need,timeline
new f_cedar_note sofia "2026-11-12T10:00" feedback --kind working \
  "Cedar Hollow came with a note I could call on: budget, decision maker, deadline. The first call went straight to a proposal"
ev lukas "2026-11-12T14:00" handoff contact "$h_ironbridge" \
  --note "Paul was on the shop floor all week; call held, site visit planned"
new f_hr_stories henrik "2026-11-13T09:30" feedback --kind suggestion --anonymous \
  "Share our won-deal stories with HR: candidates ask what we actually sell"
ev sofia "2026-11-13T10:00" lead edit copperleaf-insurance-brokers \
  --note "Proposal sent; decision expected early December"

# --- Week of 2026-11-16 ------------------------------------------------------
ev jonas "2026-11-16T09:30" lead add "Foxglove Marketing Studio" --contact "Emma Clarke" \
  --email emma@foxglove-studio.example --source content-download --value 3000 \
  --tag agency --tag smb
ev lukas "2026-11-16T10:39" meeting record --date 2026-11-16 \
  --attendee maria --attendee jonas --attendee priya --attendee lukas --attendee tom \
  --attendee sofia --attendee henrik \
  --note "Q4 MQLs reached the goal a month early; revenue is behind" \
  --note "Henrik's referrals convert: two handoffs accepted this week" \
  --decision "Move the December paid-search budget to two customer webinars" \
  --decision "Sales answers every handoff the same business day" \
  --pulse maria=4 --pulse jonas=4 --pulse priya=4 --pulse lukas=4 --pulse tom=4 --pulse sofia=5 --pulse henrik=4
new a_lindqvist lukas "2026-11-16T10:40" action add \
  "Call Erik at Lindqvist Möbel and send the EUR proposal: nothing since the first call" \
  --owner tom --due 2026-11-20 --meeting 2026-11-16
ev jonas "2026-11-16T11:00" idea status "$i_roi" in-progress
ev priya "2026-11-16T14:00" lead qualify greenfield-organic-grocers --met timeline
ev priya "2026-11-17T11:00" lead edit vantage-point-staffing \
  --note "Chris Hale (COO) decides; 35 recruiters need pipeline reporting; budget is in their January plan"
new h_vantage_2 priya "2026-11-17T14:30" handoff vantage-point-staffing --to tom \
  --note "Back with the context Sofia asked for: Chris Hale (COO) decides, 35 recruiters, budget in their January plan"
ev tom   "2026-11-18T10:00" lead edit granite-state-credit-union \
  --note "Demo booked for 2026-12-02 with their COO"
ev tom   "2026-11-18T10:15" handoff accept "$h_vantage_2" --note "Will call Chris this week"
new w_henrik lukas "2026-11-18T15:00" win \
  "Henrik's network brought two deals to sales this quarter: Vantage Point and Cedar Hollow" \
  --credit henrik,priya,sofia,tom
ev sofia "2026-11-19T10:30" lead stage brightline-dental-group opportunity
ev amara "2026-11-20T09:30" goal checkin nps 42 --note "November customer survey, 61 answers"
ev jonas "2026-11-20T11:00" idea status "$i_security" published \
  --link https://acme.example/security

# --- Week of 2026-11-23 ------------------------------------------------------
ev maria "2026-11-23T10:39" meeting record --date 2026-11-23 \
  --attendee maria --attendee jonas --attendee priya --attendee lukas --attendee tom \
  --attendee sofia --attendee amara --attendee henrik \
  --note "Four handoffs are waiting for sales; two are past the SLA" \
  --note "Cedar Hollow's handoff note is the model: budget, decision maker, deadline" \
  --decision "Rejected handoffs come back with a next step for marketing" \
  --pulse maria=5 --pulse jonas=4 --pulse priya=5 --pulse lukas=4 --pulse tom=4 --pulse sofia=5 --pulse amara=4 --pulse henrik=5
new a_hr_stories maria "2026-11-23T10:40" action add \
  "Send Henrik three won-deal stories for the careers page" --owner priya --due 2026-11-25 \
  --meeting 2026-11-23
ev lukas "2026-11-23T11:00" lead edit kestrel-aerospace-components \
  --note "Security review passed; negotiating a 3-year term"
new h_atlas jonas "2026-11-24T10:00" handoff atlas-fleet-telematics --to tom \
  --note "Noah runs a telematics platform for 300 vehicles and wants to resell route planning; budget and timeline confirmed"
ev sofia "2026-11-25T10:00" lead edit brightline-dental-group \
  --note "Sent a proposal covering all 4 practices"
new i_dental sofia "2026-11-25T10:30" idea "Dental groups ask for per-practice pricing and how others rolled out across locations" \
  --lead brightline-dental-group --offer "Case study: rolling out across 4 practices"
new h_oakmont priya "2026-11-25T15:00" handoff oakmont-senior-living --to sofia \
  --note "7 senior-living sites; Patricia (Director of Operations) has budget and wants to start in January"
ev jonas "2026-11-26T09:30" lead add "Polaris Cold Storage" --contact "Ingrid Nilsson" \
  --email ingrid.nilsson@polaris-cold.example --source paid-search --value 31000 \
  --tag logistics --tag mid-market
new h_mariner priya "2026-11-26T14:00" handoff mariner-dental-labs --to tom \
  --note "Helen runs 3 dental labs; wants order tracking with the practices; budget and timeline confirmed"
new h_greenfield maria "2026-11-26T16:30" handoff greenfield-organic-grocers --to lukas \
  --note "Lena wants a pilot in 2 stores before the spring assortment; budget and need confirmed"

# Entry ids are random too, and later entries name them in `after`: swap each for a fixed
# one, `acme` and a counter in the id alphabet, in file order, everywhere it appears.
renumber_entries() {
  local f
  # shellcheck disable=SC2046
  awk '
    function b32(n,   s, i) { s = ""; for (i = 0; i < 8; i++) { s = substr(A, n % 32 + 1, 1) s; n = int(n / 32) } return s }
    BEGIN { A = "0123456789abcdefghjkmnpqrstvwxyz"; id = "\"[0-9a-z][0-9a-z][0-9a-z][0-9a-z][0-9a-z][0-9a-z][0-9a-z][0-9a-z][0-9a-z][0-9a-z][0-9a-z][0-9a-z]\"" }
    FNR == 1 { files[++nf] = FILENAME }
    { lines[nf, FNR] = $0; count[nf] = FNR }
    /^entry = "/ { old = substr($0, 10, 12); if (!(old in map)) map[old] = "acme" b32(n++) }
    END {
      for (f = 1; f <= nf; f++) {
        out = files[f] ".new"
        for (l = 1; l <= count[f]; l++) {
          line = lines[f, l]; done = ""
          while (match(line, id)) {
            tok = substr(line, RSTART + 1, 12)
            done = done substr(line, 1, RSTART) ((tok in map) ? map[tok] : tok) "\""
            line = substr(line, RSTART + RLENGTH)
          }
          line = done line
          # The ids `after` names, in order, as growth writes them.
          if (line ~ /^after = \[/) {
            k = split(substr(line, 10, length(line) - 10), ids, ", ")
            for (a = 1; a <= k; a++) for (b = a + 1; b <= k; b++) if (ids[b] < ids[a]) { t = ids[a]; ids[a] = ids[b]; ids[b] = t }
            line = "after = ["
            for (a = 1; a <= k; a++) line = line (a > 1 ? ", " : "") ids[a]
            line = line "]"
          }
          print line > out
        }
        close(out)
      }
    }' $(find "$WS/journal" -name '*.toml' | LC_ALL=C sort)
  for f in $(find "$WS/journal" -name '*.toml.new'); do mv "$f" "${f%.new}"; done
}
renumber_entries

"$GROWTH" -C "$WS" --no-input check
echo "make-acme.sh: wrote $WS"
