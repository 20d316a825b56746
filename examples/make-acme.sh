#!/usr/bin/env bash
# Rebuilds examples/acme: the Acme Growth team's workspace, Oct-Nov 2026.
# Every file under examples/acme is written by the real `growth` CLI, event by
# event, in chronological order of --today. Re-runnable: it deletes and
# recreates examples/acme.
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
  "$GROWTH" -C "$WS" --no-input --quiet --as "$who" --today "$at" "$@"
}

# --- The workspace and the team ---------------------------------------------
"$GROWTH" init "$WS" --team "Acme Growth" --timezone Europe/Berlin \
  --no-input --quiet --today "2026-10-01T08:30"
# Pin this clone's device id (local, git-ignored) so that re-runs write the same
# journal file names (journal/YYYY-MM/<author>-demo.toml) instead of a random id.
mkdir -p "$WS/.growth" && echo demo > "$WS/.growth/device"

member() { "$GROWTH" -C "$WS" --no-input --quiet --today "2026-10-01T08:45" member add "$@"; }
member maria  --name "Maria Lopez"    --dept marketing          --email maria.lopez@acme.example --leader
member jonas  --name "Jonas Weber"    --dept marketing          --email jonas.weber@acme.example
member priya  --name "Priya Nair"     --dept marketing          --email priya.nair@acme.example
member lukas  --name "Lukas Hoffmann" --dept sales              --email lukas.hoffmann@acme.example --leader
member tom    --name "Tom Berg"       --dept sales              --email tom.berg@acme.example
member sofia  --name "Sofia Rossi"    --dept sales              --email sofia.rossi@acme.example
member amara  --name "Amara Okafor"   --dept account-management --email amara.okafor@acme.example
member henrik --name "Henrik Lund"    --dept hr                 --email henrik.lund@acme.example

# --- Week of 2026-09-28 ------------------------------------------------------
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

# --- Week of 2026-10-05 ------------------------------------------------------
ev maria "2026-10-05T10:45" lead add "Lindqvist Möbel AB" --id lindqvist-mobel --contact "Erik Lindqvist" \
  --email erik@lindqvist-mobel.example --source trade-show --value "18000 EUR" \
  --tag retail --tag emea
ev lukas "2026-10-05T11:30" lead stage northwind-logistics sql
ev lukas "2026-10-05T11:32" lead edit northwind-logistics --owner tom
ev jonas "2026-10-05T14:00" lead qualify kestrel --met budget,authority,need
ev priya "2026-10-06T09:20" lead add "Pinecrest Veterinary Clinics" --contact "Sarah Whitfield" \
  --email s.whitfield@pinecrest-vet.example --source webinar --value 5400 \
  --tag healthcare --tag smb
ev jonas "2026-10-06T11:00" lead add "Meridian Freight Partners" --contact "Daniel Okoye" \
  --email daniel.okoye@meridianfreight.example --source paid-search --value 41000 \
  --tag logistics --tag mid-market
ev tom   "2026-10-06T13:30" lead edit northwind --note "Discovery call done: 40 trucks, wants route planning live before the Q1 peak"
ev priya "2026-10-06T16:00" lead qualify cobalt-ridge-analytics --met budget,authority,need,timeline
ev amara "2026-10-07T09:45" lead add "Alder & Finch Law" --contact "Rebecca Alder" \
  --email r.alder@alderfinch.example --source referral --value 12000 \
  --tag legal --tag smb
ev lukas "2026-10-07T10:30" lead stage kestrel-aerospace-components sql
ev lukas "2026-10-07T10:31" lead edit kestrel-aerospace-components --owner lukas
ev maria "2026-10-07T14:15" lead qualify meridian-freight-partners --met budget,need
ev jonas "2026-10-08T10:00" lead add "Solstice Energy Cooperative" --contact "Jakob Brandt" \
  --email jakob.brandt@solstice-energy.example --source webinar --value "26500 EUR" \
  --tag energy --tag emea
ev sofia "2026-10-08T11:20" lead stage cobalt-ridge-analytics sql
ev sofia "2026-10-08T11:21" lead edit cobalt-ridge-analytics --owner sofia
ev priya "2026-10-08T15:00" lead qualify "Alder & Finch Law" --met budget,authority,need
ev jonas "2026-10-09T09:30" lead stage harborview-property-management nurture \
  --reason "Small portfolio; revisit after their Q1 budget"
ev maria "2026-10-09T11:00" lead qualify lindqvist-mobel --met authority,need,timeline
ev tom   "2026-10-09T14:30" lead stage northwind-logistics opportunity

# --- Week of 2026-10-12 ------------------------------------------------------
ev priya "2026-10-12T09:15" lead add "Quarry Lane Construction" --contact "Mike Donnelly" \
  --email mdonnelly@quarrylane.example --source trade-show --value 15000 \
  --tag construction
ev lukas "2026-10-12T11:00" lead stage alder-and-finch-law sql
ev lukas "2026-10-12T11:01" lead edit alder-and-finch-law --owner tom
ev maria "2026-10-12T14:00" lead qualify meridian-freight-partners --met timeline
ev jonas "2026-10-12T15:30" lead add "Tidewater Seafoods" --contact "Ana Costa" \
  --email ana.costa@tidewater-seafoods.example --source content-download --value 7200 \
  --tag food --tag smb
ev henrik "2026-10-13T09:40" lead add "Vantage Point Staffing" --contact "Chris Hale" \
  --email chris.hale@vantagepoint-staffing.example --source referral --value 9800 \
  --owner priya --tag staffing --tag smb \
  --note "Referred by their recruiting lead, the agency we hire engineers through"
ev priya "2026-10-13T10:30" lead stage quarry-lane-construction nurture \
  --reason "Project budget frozen until spring"
ev lukas "2026-10-13T13:00" lead stage kestrel-aerospace-components opportunity
ev lukas "2026-10-13T14:30" lead edit kestrel-aerospace-components \
  --note "Asked for a security review and an on-prem option; sent the questionnaire"
ev maria "2026-10-14T09:30" lead add "Greenfield Organic Grocers" --contact "Lena Vogt" \
  --email lena.vogt@greenfield-organic.example --source paid-search --value 11000 \
  --tag retail
ev jonas "2026-10-14T10:15" lead add "Summit Peak Fitness" --contact "Jordan Reyes" \
  --email jordan@summitpeakfitness.example --source paid-search --value 3200 \
  --tag fitness --tag smb
ev sofia "2026-10-14T11:00" lead stage meridian-freight-partners sql
ev sofia "2026-10-14T11:01" lead edit meridian-freight-partners --owner sofia
ev jonas "2026-10-14T15:45" lead stage summit-peak-fitness nurture \
  --reason "Single studio, too small for now"
ev jonas "2026-10-15T10:00" lead qualify solstice --met budget,need,timeline
ev priya "2026-10-15T11:30" lead qualify tidewater-seafoods --met budget,need,timeline
ev tom   "2026-10-15T14:00" lead stage alder-and-finch-law opportunity
ev priya "2026-10-16T09:30" lead add "Oakmont Senior Living" --contact "Patricia Haynes" \
  --email phaynes@oakmont-living.example --source webinar --value 28000 \
  --tag healthcare --tag mid-market
ev tom   "2026-10-16T10:45" lead stage northwind-logistics won
ev tom   "2026-10-16T10:50" lead edit northwind-logistics \
  --note "Signed a 24-month contract; onboarding kickoff on 2026-10-26 with Amara"
ev sofia "2026-10-16T13:00" lead stage cobalt-ridge-analytics opportunity
ev priya "2026-10-16T15:00" lead qualify vantage-point-staffing --met authority,need,timeline

# --- Week of 2026-10-19 ------------------------------------------------------
ev maria "2026-10-19T09:20" lead add "Rheinblick Hotels GmbH" --contact "Felix Braun" \
  --email felix.braun@rheinblick-hotels.example --source trade-show --value "45000 EUR" \
  --tag hospitality --tag emea
ev sofia "2026-10-19T10:30" lead stage tidewater-seafoods sql
ev sofia "2026-10-19T10:31" lead edit tidewater-seafoods --owner sofia
ev lukas "2026-10-19T11:15" lead stage lindqvist-mobel sql
ev lukas "2026-10-19T11:16" lead edit lindqvist-mobel --owner tom
ev amara "2026-10-19T14:00" lead add "Silverline Payroll Services" --contact "Ravi Shah" \
  --email ravi.shah@silverline-payroll.example --source referral --value 16000 \
  --owner priya --tag fintech
ev sofia "2026-10-20T10:00" lead stage meridian-freight-partners opportunity
ev jonas "2026-10-20T11:30" lead add "Copperleaf Insurance Brokers" --contact "Grace Liu" \
  --email grace.liu@copperleaf-insurance.example --source content-download --value 19500 \
  --tag insurance --tag mid-market
ev maria "2026-10-20T15:00" lead qualify rheinblick --met budget,authority,need,timeline
ev tom   "2026-10-21T09:30" lead stage alder-and-finch-law won
ev tom   "2026-10-21T09:35" lead edit alder-and-finch-law --note "Closed at list price; referral credit to Amara"
ev priya "2026-10-21T11:00" lead qualify greenfield-organic-grocers --met budget,need
ev lukas "2026-10-21T14:20" lead stage rheinblick-hotels-gmbh sql
ev lukas "2026-10-21T14:21" lead edit rheinblick-hotels-gmbh --owner lukas
ev priya "2026-10-22T10:00" lead qualify silverline-payroll-services --met budget,authority,need
ev sofia "2026-10-22T11:30" lead stage tidewater-seafoods lost \
  --reason "No budget this year after a weak Q3"
ev jonas "2026-10-22T15:00" lead qualify copperleaf-insurance-brokers --met budget,need,timeline
ev priya "2026-10-23T09:45" lead add "Granite State Credit Union" --contact "Walter Pike" \
  --email wpike@granitestate-cu.example --source webinar --value 36000 \
  --tag fintech --tag mid-market
ev sofia "2026-10-23T11:00" lead stage cobalt-ridge-analytics won
ev sofia "2026-10-23T11:05" lead edit cobalt-ridge-analytics \
  --note "Signed; expansion to their EU team possible in Q2, handed to Amara"
ev lukas "2026-10-23T14:00" lead stage rheinblick-hotels-gmbh opportunity

# --- Week of 2026-10-26 (clocks went back on 2026-10-25: CET from here) ------
ev tom   "2026-10-26T09:30" lead stage silverline-payroll-services sql
ev tom   "2026-10-26T09:31" lead edit silverline-payroll-services --owner tom
ev amara "2026-10-26T10:30" lead edit northwind-logistics \
  --note "Onboarding kickoff held; go-live planned for 2026-12-07"
ev priya "2026-10-26T11:00" lead qualify brightline-dental-group --met need,timeline
ev jonas "2026-10-26T14:00" lead add "Evergreen Facility Services" --contact "Carlos Mendes" \
  --email carlos.mendes@evergreen-fs.example --source paid-search --value 13500 \
  --tag facilities
ev lukas "2026-10-27T10:00" lead stage copperleaf-insurance-brokers sql
ev lukas "2026-10-27T10:01" lead edit copperleaf-insurance-brokers --owner sofia
ev priya "2026-10-27T11:00" lead qualify oakmont-senior-living --met budget,need
ev maria "2026-10-27T15:30" lead add "Lumen Biotech" --contact "Ines Carvalho" \
  --email ines.carvalho@lumen-bio.example --source referral --value 80000 \
  --tag life-sciences --tag enterprise --note "Introduced by a board member"
ev priya "2026-10-28T09:15" lead qualify granite-state-credit-union --met budget,authority,timeline
ev sofia "2026-10-28T11:00" lead stage meridian-freight-partners lost \
  --reason "Chose a competitor with an existing TMS integration"
ev maria "2026-10-28T14:00" lead qualify lumen-biotech --met budget,authority,need
ev lukas "2026-10-29T10:00" lead stage lumen-biotech sql
ev lukas "2026-10-29T10:01" lead edit lumen-biotech --owner lukas
ev priya "2026-10-29T11:30" lead add "Redwood Coast Brewing" --contact "Sam Turner" \
  --email sam@redwoodcoastbrewing.example --source trade-show --value 6800 \
  --tag food
ev tom   "2026-10-29T15:00" lead edit silverline-payroll-services \
  --note "Our champion left the company; the new CFO wants to wait"
ev sofia "2026-10-30T10:00" lead stage copperleaf-insurance-brokers opportunity
ev jonas "2026-10-30T13:00" lead qualify evergreen-facility-services --met budget,need,timeline

# --- Week of 2026-11-02 ------------------------------------------------------
ev jonas "2026-11-02T09:30" lead add "Atlas Fleet Telematics" --contact "Noah Fischer" \
  --email noah.fischer@atlas-fleet.example --source webinar --value 22000 \
  --tag logistics --tag saas
ev tom   "2026-11-02T10:45" lead stage granite-state-credit-union sql
ev tom   "2026-11-02T10:46" lead edit granite-state-credit-union --owner tom
ev priya "2026-11-02T14:00" lead stage redwood-coast-brewing nurture \
  --reason "Seasonal business; follow up in February"
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
ev priya "2026-11-04T14:00" lead qualify brightline-dental-group --met budget
ev henrik "2026-11-05T09:30" lead add "Cedar Hollow Schools Trust" --contact "Mark Ellison" \
  --email m.ellison@cedarhollow-schools.example --source referral --value 17500 \
  --owner priya --tag education
ev maria "2026-11-05T11:00" lead qualify oakmont-senior-living --met timeline
ev tom   "2026-11-05T15:00" lead stage silverline-payroll-services lost \
  --reason "Bad timing: the new CFO froze vendor changes until 2027"

# --- Week of 2026-11-09 ------------------------------------------------------
ev jonas "2026-11-09T10:00" lead add "Bluewater Travel Co." --contact "Maya Patel" \
  --email maya.patel@bluewater-travel.example --source webinar --value 4300 \
  --tag travel --tag smb
ev priya "2026-11-09T11:00" lead qualify cedar-hollow-schools-trust --met budget,authority,need,timeline
ev jonas "2026-11-09T14:00" lead qualify atlas-fleet-telematics --met budget,need,timeline
ev maria "2026-11-10T10:00" lead qualify ironbridge-machining --met budget,authority,need
ev sofia "2026-11-10T11:30" lead stage brightline-dental-group sql
ev sofia "2026-11-10T11:31" lead edit brightline-dental-group --owner sofia
ev lukas "2026-11-11T10:00" lead stage rheinblick-hotels-gmbh won
ev lukas "2026-11-11T10:05" lead edit rheinblick-hotels-gmbh \
  --note "Framework agreement for 6 hotels, invoiced in EUR"
ev sofia "2026-11-11T11:30" lead stage cedar-hollow-schools-trust sql
ev sofia "2026-11-11T11:31" lead edit cedar-hollow-schools-trust --owner sofia
ev priya "2026-11-11T15:00" lead qualify mariner-dental-labs --met budget,need,timeline
ev sofia "2026-11-13T10:00" lead edit copperleaf-insurance-brokers \
  --note "Proposal sent; decision expected early December"

# --- Week of 2026-11-16 ------------------------------------------------------
ev jonas "2026-11-16T09:30" lead add "Foxglove Marketing Studio" --contact "Emma Clarke" \
  --email emma@foxglove-studio.example --source content-download --value 3000 \
  --tag agency --tag smb
ev lukas "2026-11-16T11:00" lead stage ironbridge-machining sql
ev lukas "2026-11-16T11:01" lead edit ironbridge-machining --owner lukas
ev priya "2026-11-16T14:00" lead qualify greenfield-organic-grocers --met timeline
ev tom   "2026-11-18T10:00" lead edit granite-state-credit-union \
  --note "Demo booked for 2026-12-02 with their COO"
ev tom   "2026-11-18T11:00" lead stage vantage-point-staffing sql
ev tom   "2026-11-18T11:01" lead edit vantage-point-staffing --owner tom
ev sofia "2026-11-19T10:30" lead stage brightline-dental-group opportunity

# --- Week of 2026-11-23 ------------------------------------------------------
ev lukas "2026-11-23T11:00" lead edit kestrel-aerospace-components \
  --note "Security review passed; negotiating a 3-year term"
ev sofia "2026-11-25T10:00" lead edit brightline-dental-group \
  --note "Sent a proposal covering all 4 practices"
ev jonas "2026-11-26T09:30" lead add "Polaris Cold Storage" --contact "Ingrid Nilsson" \
  --email ingrid.nilsson@polaris-cold.example --source paid-search --value 31000 \
  --tag logistics --tag mid-market

"$GROWTH" -C "$WS" --no-input check
echo "make-acme.sh: wrote $WS"
