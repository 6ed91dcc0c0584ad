"""Events: per sentence, what happened (trigger), where, when, who, and how many were killed.

Event types follow ACLED's taxonomy (event_type / sub_event_type), plus ``Statement`` for pledges,
claims and announcements without other action. Triggers are found outside quotations only (a
quoted "nuclear strike" is not a strike); violent triggers under a modal ("will fight", "could
withstand") are not events. Promotional and credit lines never yield events.

Place: the most specific place of the sentence (facility > landmark > town > area > country),
passing over places used as agents ("issued by Moscow", "the Kremlin gave") when the sentence also
names a place in the story's focus country; else where the story last was (the place of the last
sentence that named one, up to ``INHERIT_WITHIN`` sentences back, across paragraphs: news paragraphs
are a sentence or two); else the article's main place (named twice or more in the focus country);
else the country of the sentence's actor. Time: the sentence's own time expression, else the
narrative's reference day (lower confidence). A vague duration ("weeks of intense shelling") runs up to
the reference day, and starts at the onset the article states ("since the onslaught of the war more than
50 days ago") when that onset fits the duration's unit, else one unit-pair before.

The same event told twice (two sentences of one article, or two articles of a workspace) is merged by
``merge_events`` into one event with several ``sources``: same event type, the same trigger family
(violent sub-types are their own family; for other types the trigger's stem), overlapping time intervals,
and the same place (or a facility/landmark inside the town the other telling names). The merged event
keeps the most precise place and, of the times, the explicit one; its confidence rises with each telling.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

import shapely

from geo.actors import acled_name, group_kind, groups_in
from geo.lexicon import alternation, pattern, words
from geo.model import (
    Article,
    Event,
    EventType,
    MentionKind,
    Place,
    Resolution,
    Sentence,
    SentenceIndex,
    SentenceKind,
    TimeExpression,
    TimePrecision,
)
from geo.resolve import focus_country, haversine_km, in_county
from geo.timex import day_interval, describe_value

ACLED_SUB_EVENT_TYPES: dict[EventType, tuple[str, ...]] = {
    EventType.BATTLES: ("Armed clash", "Government regains territory", "Non-state actor overtakes territory"),
    EventType.EXPLOSIONS: ("Chemical weapon", "Air/drone strike", "Suicide bomb", "Shelling/artillery/missile attack",
                           "Remote explosive/landmine/IED", "Grenade"),
    EventType.VIOLENCE_AGAINST_CIVILIANS: ("Sexual violence", "Attack", "Abduction/forced disappearance"),
    EventType.PROTESTS: ("Peaceful protest", "Protest with intervention", "Excessive force against protesters"),
    EventType.RIOTS: ("Violent demonstration", "Mob violence"),
    EventType.STRATEGIC: ("Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use",
                          "Headquarters or base established", "Looting/property destruction",
                          "Non-violent transfer of territory", "Other"),
    EventType.STATEMENT: ("Pledge", "Claim", "Announcement", "Warning", "Report"),
}


@dataclass(frozen=True)
class Trigger:
    pattern: re.Pattern[str]
    event_type: EventType
    sub_event_type: str
    rank: int  # higher wins within a sentence
    violent: bool


def _t(pattern: str, event_type: EventType, sub: str, rank: int, violent: bool = True) -> Trigger:
    return Trigger(re.compile(pattern, re.IGNORECASE), event_type, sub, rank, violent)


TRIGGERS: list[Trigger] = [
    _t(r"\b(?:suicide (?:car |truck |vest |vehicle )?(?:bomb\w*|attack\w*)|blew (?:himself|herself|themselves) up|"
       r"(?:explosives?|suicide) (?:vests?|belts?)|explosives? strapped to (?:his|her|their) bod(?:y|ies))",
       EventType.EXPLOSIONS, "Suicide bomb", 90),
    # ACLED's codebook, sub-types that need their own words: a weapon stopped before it hits (defused, intercepted,
    # shot down) is strategic, not an explosion; a grenade is its own kind of explosion.
    _t(r"\b(?:defus(?:e|ed|ing)|bomb disposal|(?:intercept(?:ed|s|ing)?|shot down|downed|neutrali[sz]ed) (?:\w+ ){0,3}?"
       r"(?:drones?|missiles?|rockets?|shells?|projectiles?|UAVs?)|(?:drones?|missiles?|rockets?|UAVs?) (?:were|was) "
       r"(?:intercepted|shot down|downed)|(?:weapons?|arms|ammunition|explosives) (?:cache|depot|stockpile)s? "
       r"(?:was |were )?(?:seized|found|discovered|uncovered)|(?:seized|found|discovered|uncovered) (?:a |an )?"
       r"(?:weapons?|arms|ammunition|explosives) (?:cache|depot|stockpile)s?|foiled (?:a|an|the) (?:\w+ ){0,2}?"
       r"(?:attack|bombing|plot)|"
       # made safe: "disabled a car bomb", "destroyed 15 landmines", "safely detonated a shell"
       r"(?:disabled|dismantled|defused|destroyed|cleared|removed|neutrali[sz]ed|deactivated|safely detonated|"
       r"controlled explosion of) (?:[\w-]+ ){0,4}?(?:landmines?|mines|bombs?|IEDs?|explosive devices?|explosives|"
       r"munitions|ordnance|shells?|grenades?|rockets)|unexploded (?:ordnance|munitions|bombs?|shells?)|"
       r"controlled (?:detonation|explosion)|"
       # seized before use: "seized 200 rifles", "intercepted a car packed with explosives"
       r"(?:seized|confiscated|recovered|intercepted|captured|found) (?!no\b)(?:[\w-]+ ){0,4}?(?:rifles|guns|firearms|"
       r"weapons|arms|ammunition|explosives|grenades|rocket launchers|weapons depot)|"
       r"(?:intercept(?:ed|s|ing)?|shot down|downed|neutrali[sz]ed|(?:air defen[cs]es?|air defence units?|"
       r"air-defen[cs]e systems?) (?:[\w'’-]+ ){0,2}?destroyed) (?:[\w-]+ ){0,5}?(?:drones?|missiles?|rockets?|"
       r"projectiles?|UAVs?))", EventType.STRATEGIC, "Disrupted weapons use", 92, violent=False),
    _t(r"\b(?<!stun )(?<!rocket-propelled )(?<!smoke )grenades?\b(?!\s+launchers?)", EventType.EXPLOSIONS, "Grenade", 88),
    # Protesters killed, shot or beaten by the forces facing them (``_refine`` tells intervention from this).
    _t(r"\b(?:(?:killed|shot(?: dead)?|beat(?:en)?|clubbed|wounded|injured|opened fire on|fired (?:live (?:rounds|"
       r"ammunition) )?(?:on|at|into)) (?:[\w-]+ ){0,3}?(?:protesters|demonstrators|marchers|protestors|protester|"
       r"demonstrator|marcher|protestor)|(?:protesters|demonstrators|marchers|protestors|a protester|a demonstrator) "
       r"(?:\w+ ){0,2}?(?:were|was|had been|have been) (?:fatally )?(?:killed|shot|beaten|wounded|clubbed))\b",
       EventType.PROTESTS, "Excessive force against protesters", 84),
    # Territory that changes hands without fighting.
    _t(r"\b(?:without (?:a fight|a shot|firing a shot|(?:any )?resistance|(?:any )?fighting|any clashes)|"
       r"handed (?:over )?control|handover|handed (?:[\w-]+ ){0,6}?(?:over|back) to|(?:was|were|been) handed (?:over )?to|"
       r"leaving (?:it|the (?:[\w-]+ ){0,2}?\w+) to (?:[\w'’-]+ ){0,3}?(?:forces|troops|fighters|rebels|army|militants)|"
       r"handed over (?:[\w'’-]+ ){1,6}?"
       r"to|handed (?:its|their) (?:[\w'’-]+ ){1,8}?to|handed (?:the|it|them) "
       r"(?:[\w-]+ ){0,3}?to|transferred control|gave control|ceded)\b",
       EventType.STRATEGIC, "Non-violent transfer of territory", 73, violent=False),
    # Deaths on both sides are a clash between two armed sides.
    _t(r"\b(?:killed|dead|deaths|casualties|losses|wounded|injured)\b(?: \w+){0,3} on both sides\b", EventType.BATTLES,
       "Armed clash", 69),
    _t(r"\b(?:chemical (?:weapons?|attacks?|munitions?|agents?|substances?|shells?)|chlorine|sarin|"
       r"mustard (?:gas|agent)|nerve agents?|toxic (?:[\w-]+ )?(?:gas|chemicals?|smoke|agents?)|poison(?:ous)? gas|"
       r"chloropicrin|riot-control agents?|CS gas|"
       r"(?:gas|chemical) (?:grenades?|shells?|bombs?|munitions?))\b", EventType.EXPLOSIONS, "Chemical weapon", 90),
    # A manned aircraft brought down is a clash between two armed sides (a drone or missile stopped is not: above).
    _t(r"\b(?:(?:shot|shoot|shoots|shooting) down|downed|downing of|brought down) (?:a|an|the|two|three|its|their) "
       r"(?:[\w-]+ ){0,2}?(?:warplanes?|fighter jets?|jets?|aircraft|helicopters?|planes?|bombers?)\b",
       EventType.BATTLES, "Armed clash", 93),
    _t(r"\b(?:air ?strikes?|air raids?|air campaign|bombard\w*|bunker-busters?|(?:dropp\w+|dropped) (?:\w+[- ])?bombs?|"
       r"bombing\w*|bombed|(?:incendiary|cluster|barrel|napalm) bombs?|drone (?:strike|attack)s?|"
       r"warplanes? (?:struck|hit|bombed|attacked|pounded|raided)|missile strikes?|air support|close air support|"
       r"(?:guided|glide|aerial) bombs?|(?:kamikaze|attack|one-way|armed|suicide|combat) drones?|"
       r"drones? (?:[\w-]+ ){0,4}?(?:hit|struck|attacked|targeted|bombed|slammed into|dropped)|"
       r"(?:helicopters?|gunships?|aircraft|warplanes?|jets?) (?:[\w'’-]+ ){0,5}?(?:attacked|fired on|strafed|struck|"
       r"hit|pounded|bombarded|raided|carried out (?:[\w-]+ )?strikes?|conducted (?:[\w-]+ )?strikes?|launched "
       r"(?:[\w-]+ )?strikes?))\b",
       EventType.EXPLOSIONS,
       "Air/drone strike", 85),
    _t(r"\b(?:shell(?:ing|ed|s)?|artillery|rockets?(?!-propelled)|missiles?|mortars?|barrage|tank (?:fire|rounds?)|howitzers?|"
       r"MLRS|multiple rocket launchers?|cluster munitions)\b", EventType.EXPLOSIONS,
       "Shelling/artillery/missile attack", 80),
    # A strike told without its means ("Russia struck the town again"): remote violence, most often shelling or
    # missiles; not a deal, a chord or a person struck by a car.
    _t(r"\b(?:struck|strikes? on)\b(?!\s+(?:a |an |the )?(?:[\w-]+ )?(?:deal|agreement|accord|bargain|chord|nerve|balance|"
       r"compromise|pose|note|tone|down|off|out|by|dead|gold|oil|lucky)\b)"
       # "gunmen struck in three attacks": the attacks say what it was
       r"(?!\s+in\s+(?:[\w-]+\s+){0,2}(?:attacks?|assaults?|raids?|shootings?)\b)", EventType.EXPLOSIONS,
       "Shelling/artillery/missile attack", 79),
    # Troops entering a town the other side left: territory changing hands without a fight (with fighting told in
    # the sentence, ``_refine`` makes it a town regained in battle).
    _t(r"\b(?:troops|forces|soldiers|units|army|servicem[ae]n|fighters|rebels|militants)\b(?:\s+[\w-]+){0,3}?\s+"
       r"(?:entered|moved into|rolled into|marched into|returned to)\b", EventType.STRATEGIC,
       "Non-violent transfer of territory", 74, violent=False),
    _t(r"\b(?:explosions?|blasts?|detonations?|landmines?|IEDs?|car bombs?|roadside bombs?|exploded|explosive devices?|"
       r"(?:magnetic|sticky|remote-controlled|remotely detonated|improvised|homemade|home-made|parcel|pipe|time) "
       r"bombs?|bombs? (?:planted|hidden|attached|placed|concealed)|roadside explosives?|"
       r"(?:ran|drove|driven|run) over (?:a |an )?(?:[\w-]+ )?(?:landmine|mine|explosive)|"
       r"(?:set off|triggered) (?:a |an )?(?:[\w-]+ )?(?:landmine|mine)|"
       r"(?:anti-personnel|anti-tank|anti-vehicle) mines?|(?:stepped on|hit|struck|planted|laid) (?:a |an )?(?:[\w-]+ )?"
       r"mines?\b|detonated (?:[\w-]+ ){0,2}?explosives|booby[- ]trap\w*|went off)\b", EventType.EXPLOSIONS,
       "Remote explosive/landmine/IED", 80),
    _t(r"\b(?:massacre\w*|executed|execution|shot dead|killed (?:\w+ )?civilians|civilians (?:were )?killed|"
       r"hacked (?:[\w-]+ ){0,3}?to death|hacked|"
       r"killed (?:at least |some |about |nearly )?(?:\d[\d,]*|two|three|four|five|six|seven|eight|nine|ten|"
       r"dozens of|scores of|several|a|an|the)? ?(?:[\w-]+ )?(?:civilians|villagers|farmers|labou?rers|workers|"
       r"woodcutters|worshippers|passengers|residents|herders|traders|miners|students|teachers|children|women|"
       r"driver|man|woman|boy|girl|family|fishermen|pilgrims|mourners|shoppers|journalists?|activists?|priests?|"
       r"imams?|pastors?|aid workers?|lawyers?|judges?|politicians?|village heads?|village chiefs?|elders?|"
       r"traders?|shopkeepers?|teachers?|doctors?|nurses?)|"
       r"fired (?:[\w-]+ ){0,3}?(?:on|at|into) (?:a |an |the )?(?:civilian|car|bus|minibus|vehicle|homes?|houses?))\b",
       EventType.VIOLENCE_AGAINST_CIVILIANS, "Attack", 82),
    # Violence on people by one side (a crime story's stabbing or shooting too); aimed at armed or security
    # forces it is a clash (``_refine``).
    _t(r"\b(?:stabb(?:ed|ing)|stabs?|fatally (?:shot|stabbed|wounded|injured)|shot (?:and (?:killed|wounded)|to death)|"
       r"gunned down|opened fire|(?:was|were|been|being|got) shot|shot (?:at|him|her|them|a|an|the|his|her|two|three|"
       r"\d+)|shootings?|beat(?:en)? (?:[\w'’-]+ ){0,4}?to death|beat(?:en)? up|stoned|"
       # (a person beaten by people; not a side beaten by a team, "was beaten 3-1 by Leeds")
       r"(?:was|were|been|being|got) (?:badly |severely |brutally |savagely )?beaten(?= by (?-i:[a-z]))|bludgeon\w*|murder(?:ed|s|ing)?|attacked|"
       r"assault(?:ed|ing|s)?(?!\s(?:rifles?|weapons?|vehicles?|boats?|craft|teams?|troops|forces|course))|"
       r"lynch\w*|tortur\w+|set (?:[\w'’-]+ ){0,4}(?:ablaze|on fire)|rampage|punch(?:ed|ing) (?:him|her|them|me|us)\b|"
       r"pistol-whipped|tasered|beat (?:him|her|them|the \w+)|set upon|stormed|burn(?:ed|t) (?:him|her|them) alive|"
       # force on a person's body, or a weapon brandished at people
       r"(?:pinned|pushed|shoved|dragged|kicked|tackled|slammed|choked|strangled|throttled|slapped) (?:him|her|them|"
       r"the (?:man|woman|boy|girl|teenager|victim|student|driver|passenger))\b(?! (?:aside|away|back|forward|through "
       r"the crowd))|(?:waved|brandished|pointed) (?:a|an|the|his|her|their) (?:[\w-]+ )?(?:knife|knives|gun|pistol|"
       r"machete|blade|axe|rifle|handgun) (?:\w+ )?at)\b",
       EventType.VIOLENCE_AGAINST_CIVILIANS, "Attack", 81),
    _t(r"\b(?:rap(?:e|es|ed|ing)|sexual(?:ly)? (?:assault\w*|abus\w*|violence)|molest\w*)\b",
       EventType.VIOLENCE_AGAINST_CIVILIANS, "Sexual violence", 83),
    _t(r"\b(?:abduct\w*|kidnapp?\w*|hostages?|forced disappearance|forcibly disappeared|snatched|"
       r"seized (?:[\w-]+ ){0,3}?(?:civilians|villagers|residents|people|children|women|men|students|workers|"
       r"fishermen|staff members?|journalists?|aid workers?|tourists?|priests?|passengers|farmers)|"
       r"(?:fate|whereabouts) (?:remains?|is|are) unknown|vanished|(?:to|at) an unknown location|"
       r"(?:not|never) been (?:heard from|seen) (?:again|since)|forced (?:[\w'’-]+ ){0,3}?into (?:a |an |their |his )?"
       r"(?:[\w-]+ )?(?:vehicle|car|van|truck|pickup)|bundled (?:[\w'’-]+ ){0,3}?into|"
       r"held incommunicado|incommunicado detention|disappeared (?:in|into|after|during) (?:a |an |the )?(?:[\w-]+ ){0,2}?"
       r"(?:police|security|military|army) (?:sweep|raid|custody|crackdown|operation)s?)\b",
       EventType.VIOLENCE_AGAINST_CIVILIANS,
       "Abduction/forced disappearance", 78),
    _t(r"\b(?:recaptur\w+|retook|retak\w+|regain(?:s|ed|ing)?|liberat\w+|reclaim(?:ed|s|ing)?|reoccup\w+|"
       r"dislodg\w+|took back|taken back|restored (?:state |government )?control|cleared (?:[\w'’-]+ ){0,3}?"
       r"(?:militants|fighters|insurgents|rebels|jihadists|gunmen|militiamen) (?:from|out of))\b", EventType.BATTLES,
       "Government regains territory", 72),
    _t(r"\b(?:captur(?:e|ed|es|ing)(?!\s+on\s+(?:video|camera|film|tape))|seiz(?:e|ed|es|ing)|overr[au]n|"
       r"took control|take control|fell to|took over|overtook|occupied|now control|raised (?:their|its|the) flag over|"
       r"re-?established control|pushed (?:[\w-]+ ){0,4}?out of|drove (?:[\w-]+ ){0,4}?out of|"
       r"chased (?:[\w-]+ ){0,3}?out)\b", EventType.BATTLES, "Non-state actor overtakes territory", 70),
    _t(r"\b(?:fighting|fought|clash\w*|battles?|battling|firefights?|gunfights?|gun ?battles?|shoot-?outs?|"
       r"exchanges? of fire|exchang(?:ed|ing) fire|trad(?:ed|ing) (?:heavy |small-arms |intense )?fire|"
       r"battled (?!(?:cancer|illness|injur\w+|flames|a blaze|the blaze|wildfires?|fires?)\b)|"
       r"combat|gunfire|ambush\w*|skirmish\w*|contested)\b", EventType.BATTLES,
       "Armed clash", 68),
    # An attack told as a noun ("the attack killed 20"): on civilians unless it is aimed at forces (``_refine``).
    _t(r"\battacks?\b", EventType.VIOLENCE_AGAINST_CIVILIANS, "Attack", 67),
    _t(r"\b(?:military|ground) operations?\b", EventType.BATTLES, "Armed clash", 67),
    # People killed by someone, told without the means ("gunmen killed five people"): an attack on civilians, below
    # every trigger that tells the means (shelling, a bomb, clashes).
    _t(r"\bkilled (?:at least |more than |some |about |nearly |over )?(?:\d[\d,]*|two|three|four|five|six|seven|eight|nine|ten|"
       r"eleven|twelve|dozens of|scores of|several) (?:[\w-]+ )?(?:people|persons)\b",
       EventType.VIOLENCE_AGAINST_CIVILIANS, "Attack", 65),
    # Deaths told without their means ("the offensive has killed 1,600 civilians") are fighting.
    _t(r"\b(?:(?:were|was|been|have|has|had) killed|killed (?:more than |at least |over |some |about )?\d[\d,]*"
       r"(?! (?:[\w-]+ )?(?:people|persons)\b)|"
       r"killings?)\b", EventType.BATTLES, "Armed clash", 66),
    # Riot police and riot gear are no riot. Without a protest in the sentence, violence by a crowd is mob
    # violence (``_refine``).
    _t(r"\b(?:riot(?:s|ers?|ing|ed)?(?![\s-](?:police|policem[ae]n|gear|squads?|shields?|control|officers?|act|vans?|"
       r"units?))|mobs?|looting|looted|vandali\w+|pelt(?:ed|ing)|(?:threw|throwing|hurl(?:ed|ing)|thrown|tossed) "
       r"(?:[\w-]+ ){0,4}?(?:stones|rocks|bottles|objects|bricks|flares|cans|projectiles|eggs|petrol bombs|"
       r"molotov cocktails|firebombs)|(?:stones|rocks|bottles|objects|bricks|flares|cans|projectiles|petrol bombs|"
       r"molotov cocktails|firebombs|fireworks) (?:were|was|had been) (?:thrown|hurled|tossed|set off|fired))\b",
       EventType.RIOTS, "Violent demonstration", 60),
    _t(r"\b(?:protest(?:s|ed|ing|ers?|ors?)?|demonstrat(?:ion|ors|ed|ing)s?|rall(?:y|ies|ied)|marched|marches|"
       r"(?:a|the|their|his|her|protest) march\b|"
       r"sit-ins?|strikers|went on strike|took to the streets|take to the streets|picket(?:s|ed|ing|ers)?|"
       r"striking (?:[\w-]+ )?(?:workers|dockers|dock workers|miners|teachers|nurses|doctors|drivers|employees|staff|"
       r"farmers|students|truckers)|"
       r"walk-?outs?|marching|human chains?|(?:silent |candlelight |candle-lit )?vigils?|"
       r"(?:holding|carrying|waving) (?:[\w-]+ ){0,2}?(?:placards|banners|signs|photographs|portraits|flags)|"
       r"(?:workers|students|residents|farmers|supporters|activists|traders|villagers|crowds?|women|relatives|families) "
       r"(?:[\w-]+ ){0,2}?demanding)\b", EventType.PROTESTS, "Peaceful protest", 58),
    _t(r"\b(?:arrest\w*|detain\w*|detention|taken into custody|in custody|apprehend\w*|handcuff\w*|"
       r"raid(?:s|ed)?|turned (?:himself|herself|themselves) in|surrendered to (?:the )?(?:police|authorities)|"
       r"crack(?:ed|ing|s)? down on|crackdown on|rounded up|round-ups? of|purg(?:e|ed|es|ing) (?:[\w-]+ ){0,3}?"
       r"(?:institutions|ranks|opponents|officers|judges|teachers|officials|critics|dissidents|suspects))\b",
       EventType.STRATEGIC, "Arrests", 55, violent=False),
    _t(r"\b(?:set up|sets up|setting up|established?|establish(?:es|ing)|built|opened|installed) (?:a |an |its |their |"
       r"his )?(?:new )?(?:[\w-]+ )?(?:bases?|headquarters|outposts?|command posts?|command cent(?:re|er)s?|garrisons?|"
       r"camps?|military positions?|checkpoints?|fortifications?|firing positions?|(?:logistics|command|supply) hubs?)\b|(?:turned|converted) (?:[\w'’-]+ ){1,6}?into (?:a |an |its )?(?:[\w-]+ )?(?:base|headquarters|"
       r"barracks|command cent(?:re|er))\b", EventType.STRATEGIC, "Headquarters or base established", 76, violent=False),
    _t(r"\b(?:bann?(?:ed|s|ing)? (?:all |any )?(?:[\w-]+ ){0,2}?(?:demonstrations|protests|rallies|gatherings|marches|"
       r"motorcycles|travel\w*)|imposed (?:a |an )?(?:new )?(?:ban|curfew|lockdown)|state of emergency|"
       r"(?:appointed|named|elected|chose) (?:a |its |their )?new (?:leader|commander|chief|head|emir)|split into|"
       r"merged|formed (?:a |an )?(?:new )?(?:coalition|alliance|militia|unit|group|faction)|recruitment drive|"
       r"recruit(?:ed|ing|ment)|renamed|reshuffled|demobili[sz]\w+|disarmament|new (?:[\w-]+ )?unit)\b",
       EventType.STRATEGIC, "Change to group/activity", 59, violent=False),
    _t(r"\b(?:ceasefire|cease-fire|truce|peace (?:deal|agreement|talks)|agreement|signed a deal|prisoner exchange|"
       r"accord|(?:a |the )deal (?:brokered|reached|struck)|under a (?:[\w-]+ )?deal|(?:reached|signed) (?:a |an )?"
       r"(?:[\w-]+ ){0,2}?(?:deal|pact|annex|accord)|agreed to (?:a |an )?(?:ceasefire|truce|exchange|swap|release|"
       r"reopen|withdraw|end|hand|return|free)|exchanged? (?:\d+ )?(?:prisoners|captives|bodies)|"
       r"(?:released|freed) (?:[\w-]+ ){0,4}?(?:after negotiations|under|as part of)|signed (?:a |an )?(?:[\w-]+ ){0,3}?"
       r"(?:declaration|memorandum|framework|roadmap)|(?:released|freed|set free) (?:[\w'’-]+ ){0,4}?(?:hostages|"
       r"captives|detainees|prisoners|abductees|soldiers|servicem[ae]n|fishermen))\b",
       EventType.STRATEGIC, "Agreement", 50, violent=False),
    _t(r"\b(?:deadline|ultimatum|surrender\w*|evacuat\w+|blockade\w*|besieg\w+|siege|offensive|second phase|"
       r"mobili[sz]\w+|deploy\w*|reinforc\w+|withdr[ae]w\w*|retreat\w*|curfew|martial law|safe passage|"
       r"abandoned (?:the|their|its|his|her|positions|posts?|bases?)|vacated|"
       r"convoys? of buses|(?:moved|sent|flew|airlifted|dispatched|rushed) (?:[\w'’-]+ ){0,5}?(?:troops|fighters|"
       r"soldiers|reinforcements|columns?|convoys?|units?|gun trucks|tanks|armou?red vehicles)|"
       r"(?:arrived|deployed) (?:[\w'’-]+ ){0,4}?as part of (?:a |an |the )?(?:[\w-]+ ){0,2}?(?:mission|force|"
       r"deployment)|replaced (?:its|their|the) (?:[\w-]+ ){0,2}?(?:governor|commander|leader|chief|emir)|"
       r"(?:replaced|relieved) (?:[\w'’-]+ ){0,3}?(?:fighters|troops|forces|units) at|"
       r"blocked (?:the |a )?(?:main |only )?(?:road|highway|route|crossing)|enforc\w+ (?:a |an )?(?:[\w-]+ )?"
       r"(?:lockdown|curfew|blockade)|(?:collect\w*|levy\w*|levied|impos\w+) (?:[\w-]+ ){0,2}?(?:taxes|levies|"
       r"tolls))\b",
       EventType.STRATEGIC, "Change to group/activity", 45, violent=False),
    # An accord signed settles what it names ("signed a reconciliation accord ... to return seized land").
    _t(r"\b(?:signed (?:a |an |the )?(?:[\w-]+ ){0,3}?(?:accord|agreement|deal|pact|treaty|ceasefire|truce)|"
       r"agreed to (?:return|hand back|release|free|exchange|withdraw))\b",
       EventType.STRATEGIC, "Agreement", 77, violent=False),
    # A coup, tried or done, has no sub-type of its own in ACLED's codebook: "Other" strategic development.
    _t(r"\b(?:coup(?: d['’]état)?(?: attempt)?|putsch)\b", EventType.STRATEGIC, "Other", 42, violent=False),
    _t(r"\b(?:(?:fires?|explosions?|blasts?) of (?:unknown|unclear) (?:origin|cause))\b", EventType.STRATEGIC, "Other", 91,
       violent=False),
    _t(r"\b(?:(?:discovered|found|unearthed|recovered) (?:the )?(?:[\w-]+ )?(?:bodies|remains|corpses))\b",
       EventType.STRATEGIC, "Other", 64, violent=False),
    _t(r"\b(?:mass graves?|exhum\w+|(?:internet|mobile|phone|communications?|telecoms?) (?:[\w-]+ )?(?:blackout|"
       r"shutdown|shut down|cut)|shut down (?:[\w-]+ )?internet|defect(?:ed|ors?|ions?)|deserted)\b",
       EventType.STRATEGIC, "Other", 43, violent=False),
    # A military aircraft lost without an enemy's fire (above the deaths it caused).
    _t(r"\b(?:(?:military|army|air force|fighter|warplanes?|drones?|reconnaissance|transport) (?:[\w'’-]+ ){0,2}?"
       r"(?:crashed|came down|went down)|drones? (?:[\w'’-]+ ){0,8}?(?:crashed|fell (?:onto|on|into)|came down|"
       r"strayed into)|(?:balloon|drone|missile|aircraft) (?:[\w'’-]+ ){0,3}?(?:drifted|strayed) (?:across|into))\b",
       EventType.STRATEGIC, "Other", 71, violent=False),
    # People fleeing an armed side's advance: displacement, "Other" in ACLED's codebook.
    _t(r"\bfled (?:[\w'’-]+ ){0,12}?(?:as|after|when|before|ahead of|fearing) (?:[\w'’-]+ ){0,4}?(?:advanced|"
       r"approached|approaching|advancing|advance|were approaching|closed in|neared)\b",
       EventType.STRATEGIC, "Other", 70, violent=False),
    _t(r"\b(?:destroy\w*|destruction|burn(?:ed|t)|demolish\w*)\b", EventType.STRATEGIC,
       "Looting/property destruction", 40, violent=False),
    _t(r"\b(?:torch(?:ed|ing)|set fire to (?:a |an |the |their |his |her )?(?:[\w'’-]+ ){0,2}?(?:homes?|houses?|huts?|"
       r"schools?|shops?|trucks?|cars?|vehicles?|buildings?|offices?|churches|church|mosques?|hospitals?|markets?|"
       r"villages?|plants?|crops|fields)|burn(?:ed|t) (?:down )?(?:[\w'’-]+ ){0,3}?(?:homes|houses|huts|shops|"
       r"trucks|cars|vehicles|villages|buildings|markets)|razed|burned down|burnt down|plunder\w*|pillag\w+|stripped (?:[\w-]+ ){0,4}?"
       r"of|made off with|uprooted|cattle raid\w*|stole|stolen|carted (?:away|off)|ransack\w*|"
       r"blew up (?:the |their |his |her |a |an |several |\d+ |two |three )?(?:[\w'’-]+ ){0,3}?(?:homes?|houses?|"
       r"buildings?|shops?|offices?|mosques?|churches|church|schools?|bridges?))\b", EventType.STRATEGIC,
       "Looting/property destruction", 54,
       violent=False),
    _t(r"\b(?:pledg\w+|vow\w*|promis\w+)\b", EventType.STATEMENT, "Pledge", 20, violent=False),
    _t(r"\b(?:warn\w*|threat\w*)\b", EventType.STATEMENT, "Warning", 18, violent=False),
    _t(r"\b(?:announc\w+|declar\w+)\b", EventType.STATEMENT, "Announcement", 17, violent=False),
    _t(r"\b(?:claim\w*|accus\w+|denie[sd]|insist\w*|maintain\w*)\b", EventType.STATEMENT, "Claim", 16, violent=False),
    _t(r"\b(?:said|says|told|stated|according to|reported)\b", EventType.STATEMENT, "Report", 10, violent=False),
]
# Highest rank first (stable: among equal ranks the order above): the first trigger found is the best one, so the
# search stops there.
TRIGGERS.sort(key=lambda t: -t.rank)
MODAL = re.compile(r"\b(?:will|would|could|can|may|might|shall|threaten\w*|vow\w*|plans? to|prepar\w+|able to|"
                   r"planned to|plotted to|plotting to|planning to|intended to|intending to|"
                   r"attempts? to|wants? to|ready to|withstand)\b(?:\s+\w+){0,3}\s*$", re.IGNORECASE)
# "regaining control over the suburbs would stop the attacks": a gerund that is the subject of a modal.
HYPOTHETICAL_AFTER = re.compile(r"(?:\s+[\w-]+){0,7}?\s+(?:would|could|will|might|may|should)\b", re.IGNORECASE)
# A trigger that names an event told elsewhere, as the cause or occasion of this one.
REFERENCE_BEFORE = re.compile(r"\b(?:in connection with|after|following|over|in response to|in retaliation for|"
                              r"linked to|responsib\w+ for|blam(?:ed|es|ing)(?:\s+[\w'’-]+){0,4}?\s+for|suspected of|"
                              r"charged (?:with|over))\s+"
                              r"(?:the|a|an|this|that|these|those|last\s\w+['’]s)\s+(?:[\w-]+\s+){0,2}$|"
                              # what someone is charged with or suspected of is named, not told: "arrested on
                              # suspicion of murder", "charged with arson"
                              r"\b(?:charged with|accused of|suspected of|convicted of|on suspicion of|guilty of|"
                              r"counts? of|charges? of|in connection with|pleaded (?:not )?guilty (?:[\w'’-]+ ){0,4}?to)\s+(?:(?!and\b)[\w-]+\s+){0,3}$|"
                              # "peace returned after weeks of fighting": the fighting is told as the past
                              r"\b(?:after|following) (?:\w+ )?(?:hours|days|weeks|months|years) of\s+(?:[\w-]+\s+)?$|"
                              # what someone is arrested or jailed for: "police arrested two men for looting shops"
                              r"\b(?:arrest\w*|detain\w*|held|jailed|convicted|sentenced|fined)\s+(?:[\w-]+\s+){0,4}?"
                              r"(?:for|over)\s+(?:[\w-]+\s+){0,2}$", re.IGNORECASE)
FATALITIES = re.compile(
    r"(?:(?:death|deaths|killing|lives|bodies)\s(?:of\s)?(?P<q1>more than|over|at least|nearly|almost|about|some|around)?\s?"
    r"(?P<n1>\d[\d,]*)|(?P<q2>more than|over|at least|nearly|almost|about|some|around)?\s?(?P<n2>\d[\d,]*)\s(?:\w+\s){0,3}?"
    r"(?:were|have been|had been|are|was)?\s?(?:killed|dead|died|deaths)|"
    r"(?:killed|killing)\s(?P<q3>more than|over|at least|nearly|almost|about|some|around)?\s?(?P<n3>\d[\d,]*))",
    re.IGNORECASE,
)
_QUOTE_OPEN = "“\""
_HYPHENATED_LENGTH = re.compile(r"\w-(?:years?|months?|weeks?|days?|hours?|minutes?|decades?)\b", re.IGNORECASE)
#: A sentence that names no place happens where the story last was, up to this many sentences back.
INHERIT_WITHIN = 3
PLACE_RANK = {"facility": 6, "landmark": 5, "city": 4, "admin2": 3, "admin1": 3, "area": 3, "region": 2, "country": 1, "continent": 0, "sea": 0}


def _unquoted_mask(sentence: Sentence, inside_at_start: bool) -> tuple[str, bool]:
    """The sentence with quoted stretches blanked out, and whether a quote is still open at its end."""
    chars = list(sentence.text)
    inside = inside_at_start
    for i, ch in enumerate(sentence.text):
        if ch in "“”\"":
            if ch == "“":
                inside = True
            elif ch == "”":
                inside = False
            else:
                inside = not inside
            chars[i] = " "
        elif inside:
            chars[i] = " "
    return "".join(chars), inside


# Between a country and the noun of an act: up to two lower-case words or a date ("drone", "August 2015").
_MEANS_GAP = re.compile(r"^(?:[\s-]+(?:[a-z][\w-]*|[A-Z][a-z]+ \d{4}|\d{4}))*?[\s-]*$")
_SCENE_BEFORE = re.compile(r"\b(?:in|at|near|on|into|across|over|inside|outside|throughout)\s+(?:the\s+)?$",
                           re.IGNORECASE)


def _names_the_means(r: Resolution, sentence: Sentence, match: re.Match[str]) -> bool:
    """Whether a country named right before the act's noun says whose the act was, not where ("a U.S. drone
    strike", "Turkish shelling"); not after a scene preposition ("in Syria airstrikes ...")."""
    if r.place is None or r.place.kind != "country":
        return False
    start, end = r.mention.start - sentence.start, r.mention.end - sentence.start
    if end > match.start() or match.start() - end > 30:
        return False
    return bool(_MEANS_GAP.match(sentence.text[end:match.start()])) and not _SCENE_BEFORE.search(
        sentence.text[max(0, start - 20):start])


# A country's office or force right after its name: "Norway's foreign minister", "U.S. officials", "Peru's army".
_OFFICE_AFTER = re.compile(rf"(?:['’]s)?(?:\s+and\s+[\w.-]+)?\s+(?:[\w-]+\s+)?(?:{alternation('office_nouns')})\b", re.IGNORECASE)


def _names_whose(r: Resolution, sentence: Sentence) -> bool:
    """Whether a country is named as the owner of an office or force ("detained Norway's prime minister", "U.S.
    officials said"): it says who, not where, so it is no scene of the sentence's event."""
    if r.place is None or r.place.kind != "country":
        return False
    return bool(_OFFICE_AFTER.match(sentence.text, r.mention.end - sentence.start))


#: A capitalised word beside a trigger's: the trigger is part of a name ("National Liberation Army", "the Government
#: of National Accord"), not an event.
_IN_NAME_BEFORE = re.compile(r"\b[A-Z][\w'’-]*\s+(?:(?:of|for|the|and)\s+)?$")
_IN_NAME_AFTER = re.compile(r"^\s+(?:(?:of|for)\s+(?:the\s+)?)?[A-Z]")
#: What is asked for, feared or made conditional is no event that happened: "called for demonstrations", "urged
#: an inquiry into killings", "if the strikes continue", "to prevent clashes".
_NOT_HAPPENED_BEFORE = re.compile(r"\b(?:call(?:ed|s|ing)? (?:for|on)|urg(?:ed|es|ing)|demand(?:ed|s|ing)|"

                                  r"appeal(?:ed|s|ing) for|investigat(?:e|ing|ions? into)|if|unless|ends?|prevent\w*|"
                                  r"avoid\w*|response (?:for|to)|(?:film|documentary|book|play|exhibition|series) about|anniversary of|"
                                  r"memory of|memorial (?:to|for))"
                                  r"\b(?:\s+[\w'’-]+){0,6}\s*$", re.IGNORECASE)
#: An act warned of, threatened, vowed, denied or pledged, in the clause that says so ("warned on Tuesday that any
#: attack ...", "threatened in a message to attack", "denied that its forces had detained"): spoken of, not done.
_SPOKEN_OF = re.compile(r"\b(?:warn(?:ed|s|ing)?|threaten(?:ed|s|ing)?|vow(?:ed|s|ing)?|den(?:ied|ies|y)|"
                        r"reject(?:ed|s|ing)|pledg(?:ed|es|ing)|promis(?:ed|es|ing)|called on|urg(?:ed|es|ing)|"
                        r"appeal(?:ed|s|ing) to)\b(?:\s+[\w'’-]+){0,7}?\s+(?:that|to)\b(?:\s+[\w'’-]+){0,3}\s*$|"
                        r"\b(?:announc(?:ed|es|ing)|declar(?:ed|es|ing)) (?:the |a )?(?:start|launch|beginning|end) of"
                        r"(?:\s+[\w'’-]+){0,3}\s*$|\bwithout (?:announcing|reaching|signing|any)(?:\s+[\w'’-]+){0,2}\s*$",
                        re.IGNORECASE)
#: A country's own forces, named by its possessive: "Myanmar's military junta", "Ukraine's air force".
_POSSESSIVE_FORCE = re.compile(r"['’]s\s+(?:[\w-]+\s+)?(forces|troops|soldiers|army|military|junta|navy|air force|"
                               r"police)\b", re.IGNORECASE)
#: News agencies (a dateline's "(Reuters)"): who carried the story, never an actor in it.
NEWS_AGENCIES = words("news_agencies")
#: Weapons named as goods ("a contract to sell Saudi Arabia 180 howitzers", "supplied drones to"): no act.
_GOODS_BEFORE = re.compile(r"\b(?:sell|sells|selling|sold|sale of|sales of|suppl(?:y|ies|ied|ying)|deliver(?:ed|ing|y of|ies of)?|"
                           r"purchas\w+|buy|buys|buying|bought|export\w*|procur\w+|order(?:ed)? \d[\d,]*|contract for)\b"
                           r"(?:\s+[\w'’$.,-]+){0,8}\s*$", re.IGNORECASE)
#: A natural disaster or an accident, with no weapon or armed side in the sentence: its deaths, blasts and
#: "struck" are no political violence.
_MISHAP = pattern("event_mishaps")
_ARMED = pattern("event_armed")
#: "battle" and "fight" of words, courts and budgets.
_FIGURATIVE = re.compile(r"^\s+(?:over|against (?:cancer|illness|the (?:bill|law|ruling))|for (?:custody|votes|the "
                         r"(?:title|cup|lead|presidency|nomination)))\b", re.IGNORECASE)
_FIGURATIVE_BEFORE = re.compile(r"\b(?:legal|court|courtroom|political|bitter|custody|uphill|budget|election|verbal|"
                                r"public relations|PR|ratings|bidding|takeover|title|relegation)\s+$", re.IGNORECASE)


def _mishap_prone(trigger: Trigger) -> bool:
    """Triggers a disaster or an accident also fits: deaths, blasts, "struck", an attack, an evacuation."""
    return trigger.event_type in (EventType.EXPLOSIONS, EventType.BATTLES) \
        or trigger.sub_event_type in ("Attack", "Change to group/activity", "Looting/property destruction")


#: A trigger noun before a noun of its people names them, not an event ("protest leaders", "the strike committee").
_WHO_OF_IT = re.compile(r"^[ \t]+(?:leaders?|organi[sz]ers?|plotters?|groups?|movements?|spokes(?:man|woman|person)|"
                        r"committees?|coalitions?|networks?|campaigners?)\b", re.IGNORECASE)


def _find_trigger(text: str) -> tuple[Trigger, re.Match[str]] | None:
    best: tuple[Trigger, re.Match[str]] | None = None
    mishap = None  # (read once, when a violent trigger needs it)
    for trigger in TRIGGERS:
        if best is not None and trigger.rank <= best[0].rank:
            continue  # (a trigger of lower rank cannot win)
        for match in trigger.pattern.finditer(text):
            if trigger.violent and (MODAL.search(text[: match.start()]) or (
                    match.group(0).lower().endswith("ing") and HYPOTHETICAL_AFTER.match(text[match.end():]))):
                continue
            if REFERENCE_BEFORE.search(text[: match.start()]):
                continue  # "held over the explosion": the explosion is another event, named
            if _WHO_OF_IT.match(text[match.end():]):
                continue  # "protest leaders said they would block the road": people, not the protest
            if match.group(0).lower() == "occupied" and re.match(r"\s+(?:[A-Z]|territor)", text[match.end():]) \
                    and re.search(r"\b(?:in|of|the|from|to|into|across|throughout|near|around|at)\s+$",
                                  text[: match.start()], re.IGNORECASE):
                continue  # "in occupied Berdyansk", "the occupied territories": what a place is, not an act
            near = text[max(0, match.start() - 100): match.start()]  # (the cues lie just before the trigger)
            if mishap is None and _mishap_prone(trigger):
                mishap = bool(_MISHAP.search(text)) and not _ARMED.search(text)
            if trigger.event_type is not EventType.STATEMENT and (
                    _NOT_HAPPENED_BEFORE.search(near) or _SPOKEN_OF.search(near)
                    or _GOODS_BEFORE.search(near) and not match.group(0).lower().endswith("ed")
                    or match.group(0)[0].isupper() and match.start() > 0
                    and (_IN_NAME_BEFORE.search(near) or _IN_NAME_AFTER.match(text[match.end():]))
                    or mishap and _mishap_prone(trigger)
                    or re.match(r"battles?\b", match.group(0), re.IGNORECASE)
                    and (_FIGURATIVE.match(text[match.end():]) or _FIGURATIVE_BEFORE.search(text[: match.start()]))):
                continue
            if best is None or trigger.rank > best[0].rank:
                best = (trigger, match)
            break
        if best is not None:
            break  # (the triggers are in rank order: none after this one can win)
    return best


#: Who an attack is aimed at, when it is armed or security forces (right after the trigger, in its clause).
_AT_FORCES = re.compile(r"^(?:\s+(?!(?:by|who|which|that|after|before|when|while|and|but|as)\b)[\w'’-]+){0,5}?\s+"
                        r"(?:officers?|police(?:m[ae]n)?|soldiers?|troops|guards?|patrols?|"
                        r"security forces|servicem[ae]n|militants|fighters|rebels|insurgents|positions|checkpoints?|"
                        r"(?:army|military|police|gendarmerie) (?:posts?|bases?|stations?|convoys?|units?|patrols?))\b",
                        re.IGNORECASE)
# Police or troops stopping a protest without killing (ACLED: "Protest with intervention").
_INTERVENTION = re.compile(r"\b(?:tear ?gas|water cannons?|rubber bullets|pepper spray|stun grenades?|batons?|"
                           r"dispers(?:e|ed|ing)|broke up|break up|broken up|cleared (?:the )?(?:square|streets?|camp))\b",
                           re.IGNORECASE)
_FIGHT_WORDS = re.compile(r"\b(?:fighting|fought|battles?|clash\w*|heavy resistance|street battles|assault|stormed)\b",
                          re.IGNORECASE)
# Between a country named as the subject and the verb of what it did: "Russia struck", "Ukraine has again shelled".
_SUBJECT_GAP = re.compile(r"\s+(?:(?:has|have|had|again|also|reportedly|then|later|repeatedly)\s+){0,3}")
#: A country as the subject of an act of force, the trigger later in the clause ("Russia struck the city with
#: missiles"): it acts with its forces.
_COUNTRY_STRIKES = re.compile(r"\s+(?:(?:has|have|had|again|also|reportedly|then|later|repeatedly)\s+){0,3}"
                              r"(?:struck|strikes|shelled|shells|attacked|attacks|bombed|bombs|pounded|pounds|hit|"
                              r"hits|launched|launches|fired|fires|targeted|targets)\b")
#: After an act, only where it happened, then a list of who: "… fighting in <place>, including …".
_MEMBERS_AFTER_SCENE = re.compile(r"(?:\s+(?:still|again|there|on))?(?:\s+(?:in|near|at|around|outside|inside|across)"
                                  r"\s+[^,;.]{1,60})?,?\s+(?:including|among them|among whom|such as)\b")
# Where a sentence's clauses part: "the city was shelled; fighting went on", "..., and troops entered ...".
_CLAUSE_BREAK = re.compile(r";\s+|,\s+(?:and|while|but|whereas)\s+|\s+while\s+")
# Bombs from the air: without these words a "bombing" is a bomb set off on the ground (an IED).
_FROM_THE_AIR = re.compile(r"\b(?:air|aerial|warplanes?|jets?|aircraft|planes?|bombers?|helicopters?|drones?|"
                           r"air force|sorties?|dropped)\b", re.IGNORECASE)
_PROTEST_WORDS = re.compile(r"\b(?:protest(?:s|ed|ing|ers?|ors?)?|demonstrat\w+|rall(?:y|ies|ied)|march\w*)\b",
                            re.IGNORECASE)
# Crowds and unorganised people (ACLED: rioters; violence by them without a protest is mob violence), and the
# organised armed or security forces whose violence is not a crowd's.
_CROWD = pattern("event_crowds")
_ORGANISED = pattern("event_organised")
# Who took a place: a government's forces regain it from a non-state side (ACLED: "Government regains territory");
# anyone else, a foreign state's forces too, overtakes it.
_GOVERNMENT = pattern("event_government")
_NON_STATE = pattern("event_non_state")
_TERRITORY_SUBS = ("Government regains territory", "Non-state actor overtakes territory")
# Forces' violence on a crowd: shooting, killing or maiming (with a protest in the sentence, excessive force).
_FORCE_ON_PEOPLE = re.compile(r"\b(?:kill\w*|dead|died|deaths?|shot (?:dead|and|at|into|in)|opened fire|"
                              r"fired (?:live |pellets )?(?:[\w-]+ )?(?:on|into) |blind\w*|maim\w*|"
                              r"live (?:ammunition|rounds|bullets)|(?<!rubber )bullets?|pellets?)", re.IGNORECASE)
_FORCES = pattern("event_forces")
# Arrests, kettling or a charge at a protest: the authorities intervened.
_PROTEST_ARRESTS = re.compile(r"\b(?<!demanding the )(?<!demanded the )(?<!calling for the )(?:arrest\w*|detain\w*|kettled|baton[- ]charg\w*|charged (?:a |the )?(?:group of )?"
                              r"(?:protesters|demonstrators|crowds?|marchers))\b", re.IGNORECASE)
_AT_PROTEST = re.compile(r"^(?:\s+(?!(?:for|over|after|following|before|since)\b)[\w'’-]+){0,8}?\s+(?:at|during|in)\s+"
                         r"(?:an?|the)\s+(?:[\w-]+\s+){0,2}?(?:protests?|rall(?:y|ies)|demonstrations?|march(?:es)?|"
                         r"sit-ins?)\b|^(?:\s+(?!(?:for|over|after|following)\b)[\w'’-]+){0,4}?\s+(?:protesters|"
                         r"demonstrators|marchers|protestors|activists|(?:\w+\s+)?supporters)\s+(?:who|taking part|"
                         r"gathered|marching|demonstrating|rallying|protesting)\b", re.IGNORECASE)
_PROTESTERS = re.compile(r"\b(?:protesters|protestors|demonstrators|marchers|rioters)\b", re.IGNORECASE)
# Damage done by a crowd: what makes a protest a riot.
_CROWD_DAMAGE = re.compile(r"\b(?:smash\w*|ransack\w*|torch\w*|set fire|set ablaze|burn(?:ed|t|ing)|vandali\w+|"
                           r"loot\w*|stormed|hurl\w*|threw|throwing|pelt\w*|stones|rocks|bricks|petrol bombs|"
                           r"broke windows|damaged|attacked|blocked (?:[\w-]+ ){0,3}?with (?:burning|felled))\b",
                           re.IGNORECASE)
# An army that leaves and another side that moves in: territory changing hands (without fighting told).
_LEFT = re.compile(r"\b(?:withdr[ae]w\w*|pulled out|pulling out|left|leaving|vacated|abandoned|evacuated|departed|"
                   r"surrendered (?:it|the (?:[\w-]+ )?(?:town|district|city|base|post|village)|control)|"
                   r"retreat\w*|crossed into)\b", re.IGNORECASE)
_MOVED_IN = re.compile(r"\b(?:took over|moved in(?:to)?|occupied|took control|raised (?:their|its|the) flag|"
                       r"leaving (?:it|the (?:[\w-]+ ){0,2}?\w+) to|handing (?:[\w'’-]+ ){0,4}?to|"
                       r"allowing (?:[\w'’-]+ ){0,4}?to (?:enter|move in|take)|unopposed|"
                       r"deployed (?:there|in|to)|entered|took (?:up )?positions)\b", re.IGNORECASE)
_NEGATED_FIGHT = re.compile(r"\bwithout (?:a |any )?(?:fight|fighting|clashes|resistance|battle|shot)\w*",
                            re.IGNORECASE)


#: A trigger that tells deaths, not how they were dealt ("killed three civilians", "civilians were killed").
_DEATHS_ONLY = re.compile(r"(?:killed|civilians)\b", re.IGNORECASE)
_FROM_AFAR = frozenset({"Shelling/artillery/missile attack", "Air/drone strike", "Remote explosive/landmine/IED",
                        "Suicide bomb", "Grenade"})


#: An explosion nobody explains: "for reasons that remain unclear", "of unknown cause", "an unexplained blast".
_UNEXPLAINED = re.compile(r"\b(?:unexplained|mysterious|of unknown (?:cause|origin)|(?:cause|reasons?) (?:that )?"
                          r"(?:remains?|is|are|was|were) (?:unclear|unknown|not (?:yet )?known)|for reasons that remain|"
                          r"after a fire (?:broke out|started))\b",
                          re.IGNORECASE)
#: Captives set free ("freed 12 hostages", "released 10 detained fishermen", "handed two captured soldiers back"):
#: an agreement in ACLED's codebook, whatever the words of their capture.
_RELEASED = re.compile(r"\bin exchange for (?:[\w'’-]+ ){0,3}?(?:prisoners|soldiers|detainees|servicem[ae]n|captives|"
                       r"hostages)\b|"
                       r"\b(?:released|freed|set free|handed (?:[\w'’-]+ ){0,4}?back|swapped|exchanged)\s+"
                       r"(?:[\w'’-]+\s+){0,4}?(?:hostages|captives|detainees|prisoners|abductees|abducted|kidnapped|"
                       r"detained|captured|servicem[ae]n|soldiers|fishermen|villagers|journalists?|missionaries|"
                       r"passengers|students|workers|aid workers)\b", re.IGNORECASE)
_RELEASE_FROM = frozenset({"Abduction/forced disappearance", "Arrests", "Non-violent transfer of territory",
                           "Non-state actor overtakes territory", "Government regains territory", "Agreement"})


#: An assault told before what it took: "attacked a police station ... and seized weapons" is the attack.
_ASSAULT_BEFORE = re.compile(r"\b(?:attacked|stormed|raided|overran|ambushed|assaulted)\b", re.IGNORECASE)


def _assault_before_seizure(trigger: Trigger, match: re.Match[str], text: str) -> re.Match[str] | None:
    """The assault told before weapons seized ("gunmen stormed a police station and seized rifles"): the assault
    is the event, and where it is told is where its actors are read."""
    if trigger.sub_event_type != "Disrupted weapons use" or not re.match(
            r"(?:seized|captured|confiscated|recovered|took)\b", match.group(0), re.IGNORECASE):
        return None
    return _ASSAULT_BEFORE.search(text[: match.start()])


def _refine(trigger: Trigger, match: re.Match[str], text: str) -> tuple[EventType, str]:
    """ACLED's type for the trigger in its sentence: an attack aimed at armed or security forces is a clash
    between two armed sides (Battles), not violence against civilians; a crowd's violence without a protest is
    mob violence, with one a violent demonstration; a protest that police disperse (tear gas, water cannon,
    batons) is a protest with intervention; a bombing with no aircraft in the sentence is a remote explosive."""
    before = text[: match.start()]
    assault = _assault_before_seizure(trigger, match, text)
    if assault:
        return (EventType.BATTLES, "Armed clash") if _AT_FORCES.search(" " + before[assault.end():]) \
            else (EventType.VIOLENCE_AGAINST_CIVILIANS, "Attack")
    fights = _FIGHT_WORDS.search(_NEGATED_FIGHT.sub(" ", text))
    protest = _PROTEST_WORDS.search(text)
    # Forces shooting or killing people at a protest: excessive force; arresting or charging them: intervention.
    if protest and _FORCES.search(text) and (
            trigger.event_type in (EventType.VIOLENCE_AGAINST_CIVILIANS, EventType.BATTLES, EventType.PROTESTS)
            and trigger.sub_event_type != "Sexual violence") and _FORCE_ON_PEOPLE.search(text) \
            and not _CROWD_DAMAGE.search(before):
        return EventType.PROTESTS, "Excessive force against protesters"
    # (people arrested at the protest, told next to it: "detained 40 activists who sat down on a road", "arrested
    # dozens at a rally"; an arrest for a protest held before is an arrest)
    if trigger.event_type is EventType.PROTESTS and trigger.sub_event_type == "Peaceful protest" \
            and _PROTEST_ARRESTS.search(text) or trigger.sub_event_type == "Arrests" and _AT_PROTEST.match(
                text[match.end():]):
        return EventType.PROTESTS, "Protest with intervention"
    # A crowd's own violence: with a protest a violent demonstration, without one mob violence (unless an organised
    # armed side is named as who did it).
    crowd = _CROWD.search(before)
    # An organised side named before the crowd, or between it and the act, is who acted ("residents said soldiers
    # attacked"), unless the crowd's protest names it ("rioters protesting a death in police custody smashed").
    between = before[crowd.end():] if crowd else ""
    if crowd and not _ORGANISED.search(before[: crowd.start()]) \
            and not (_ORGANISED.search(between) and not _PROTEST_WORDS.search(between)) and trigger.sub_event_type in (
            "Attack", "Armed clash", "Violent demonstration", "Mob violence", "Looting/property destruction",
            "Abduction/forced disappearance"):
        return EventType.RIOTS, "Violent demonstration" if protest or crowd.group(0).lower() in (
            "rioters", "protesters", "demonstrators") else "Mob violence"
    if trigger.sub_event_type == "Armed clash" and _PROTESTERS.search(text):
        return EventType.RIOTS, "Violent demonstration"  # "police clashed with protesters" (ACLED: rioters)
    told = text[: _attribution(text, match.end())]  # (without ", police said")
    if trigger.event_type is EventType.PROTESTS and trigger.sub_event_type == "Peaceful protest" \
            and _CROWD_DAMAGE.search(told[match.end():]) and not _FORCES.search(told[match.end():]):
        return EventType.RIOTS, "Violent demonstration"  # "protesters ransacked an office"
    # Looting and burning by an organised armed side are its own strategic development, not a riot.
    if trigger.event_type is EventType.RIOTS and _ORGANISED.search(before) and not protest \
            and not _CROWD.search(before):
        return EventType.STRATEGIC, "Looting/property destruction"
    if not fights and _LEFT.search(text) and _MOVED_IN.search(text) and trigger.sub_event_type in (
            "Change to group/activity", "Non-state actor overtakes territory", "Government regains territory",
            "Agreement", "Non-violent transfer of territory"):
        return EventType.STRATEGIC, "Non-violent transfer of territory"
    if trigger.sub_event_type in ("Armed clash", "Attack"):  # a place taken in the fighting: the taking is the event
        taking = next(((t, m) for t in TRIGGERS if t.sub_event_type in _TERRITORY_SUBS
                       and (m := t.pattern.search(text))), None)
        if taking is not None:
            trigger, match = taking
            before = text[: match.start()]
    if trigger.sub_event_type in _TERRITORY_SUBS:
        # (a foreign state's forces taking a place overtake it, as a non-state actor does: only a government's
        # forces taking it back from a non-state side regain it)
        if _GOVERNMENT.search(before) and not _NON_STATE.search(before) \
                and _NON_STATE.search(text[match.start():]):  # (the trigger may hold them: "pushed rebels out of")
            return EventType.BATTLES, "Government regains territory"
        if _NON_STATE.search(before) and not _GOVERNMENT.search(before):
            return EventType.BATTLES, "Non-state actor overtakes territory"
        return trigger.event_type, trigger.sub_event_type
    if trigger.event_type is EventType.VIOLENCE_AGAINST_CIVILIANS and trigger.sub_event_type == "Attack" \
            and _AT_FORCES.match(text[match.end():]):
        return EventType.BATTLES, "Armed clash"
    if trigger.event_type is EventType.VIOLENCE_AGAINST_CIVILIANS and _DEATHS_ONLY.match(match.group(0)):
        # "Russian shelling killed three civilians": civilians hit from afar are remote violence, with civilians as
        # its second actor (ACLED's codebook); the deaths do not say the means, the shelling does
        means = next((t for t in TRIGGERS if t.event_type is EventType.EXPLOSIONS and t.violent
                      and t.sub_event_type in _FROM_AFAR and t.pattern.search(text)), None)
        if means is not None:
            return means.event_type, means.sub_event_type
    if trigger.event_type is EventType.EXPLOSIONS and _UNEXPLAINED.search(text):
        return EventType.STRATEGIC, "Other"  # "an explosion of unknown cause at an arms depot" (ACLED: other)
    if trigger.sub_event_type in _RELEASE_FROM and _RELEASED.search(text):
        return EventType.STRATEGIC, "Agreement"  # hostages freed, prisoners swapped (ACLED: agreement)
    if trigger.event_type is EventType.RIOTS and not _PROTEST_WORDS.search(text):
        return EventType.RIOTS, "Mob violence"
    if trigger.event_type is EventType.PROTESTS and trigger.sub_event_type == "Peaceful protest" \
            and _INTERVENTION.search(text):
        return EventType.PROTESTS, "Protest with intervention"
    if trigger.sub_event_type == "Non-violent transfer of territory" and fights:
        return EventType.BATTLES, "Government regains territory"  # "entered the town after heavy fighting"
    if trigger.sub_event_type == "Air/drone strike" and match.group(0).lower().startswith("bomb") \
            and not match.group(0).lower().startswith("bombard") and not _FROM_THE_AIR.search(text):
        return EventType.EXPLOSIONS, "Remote explosive/landmine/IED"  # "a bombing at the market": set off there
    return trigger.event_type, trigger.sub_event_type


def classify(sentence: str) -> tuple[EventType, str, str] | None:
    """ACLED's event type and sub-event type of a sentence that tells one event, with its trigger (None: no
    trigger; the words inside quotation marks are a speaker's and are not read)."""
    unquoted, _ = _unquoted_mask(Sentence(0, 0, len(sentence), sentence, 0), False)
    found = _find_trigger(unquoted)
    if found is None:
        return None
    trigger, match = found
    event_type, sub = _refine(trigger, match, unquoted)
    return event_type, sub, match.group(0)


def _default_actors(event_type: EventType, actor1: str, actor2: str, country: tuple[str, str],
                    text: str = "") -> tuple[str, str]:
    """ACLED's actors where the type says who they are and the sentence names nobody: a protest's protesters, a
    riot's rioters, the civilians that violence against civilians is against."""
    if not country[1]:
        return actor1, actor2
    crowd = {EventType.PROTESTS: "protesters", EventType.RIOTS: "rioters"}.get(event_type)
    if crowd:
        # The protesters or rioters are actor 1 (ACLED), the police or forces facing them actor 2: "police
        # baton-charged the demonstrators" is the demonstrators' protest, with an intervention by the police.
        name = acled_name(crowd, country[1], country[0])
        others = [a for a in (actor1, actor2) if a and a != name and not a.startswith(("Protesters", "Rioters"))]
        facing = _FORCES.search(text) if not others else None  # "soldiers fired on a crowd of protesters": the
        actor1 = name                                           # country's own forces (or police) face it
        actor2 = others[0] if others else (acled_name(group_kind(facing.group(0)) or "force", country[1], country[0])
                                           if facing else "")
    elif event_type is EventType.VIOLENCE_AGAINST_CIVILIANS and not actor2:  # (``_actors`` never makes them actor 1)
        actor2 = acled_name("civilians", country[1], country[0])
    return actor1, actor2


_NUMBER_WORDS = {w: n for n, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty".split())} | {"thirty": 30, "forty": 40, "fifty": 50, "a dozen": 12}
_SPELLED = re.compile(rf"\b({'|'.join(sorted(_NUMBER_WORDS, key=len, reverse=True))})\b", re.IGNORECASE)


def _fatalities(text: str) -> tuple[int | None, str]:
    """The number killed the sentence states ("killed 4 people", "the deaths of more than 20", "killing three
    civilians": numbers in words too), and its qualifier ("at least", "more than")."""
    text = _SPELLED.sub(lambda m: str(_NUMBER_WORDS[m.group(1).lower()]), text)
    match = FATALITIES.search(text)
    if not match:
        return None, ""
    number = match.group("n1") or match.group("n2") or match.group("n3")
    qualifier = (match.group("q1") or match.group("q2") or match.group("q3") or "").lower()
    try:
        return int(number.replace(",", "")), qualifier
    except ValueError:
        return None, ""


#: Prepositions that put what they govern at the scene of an event ("shelled near X", "a strike on a station in
#: X"); not "from", "to", "by", "against" (where someone came from, went to, or who acted).
SCENE_PREPOSITIONS = frozenset({"in", "at", "near", "on", "outside", "inside", "into", "around", "across", "along",
                                "off", "over", "throughout", "within", "onto", "upon", "beside", "behind", "nearby"})
#: Dependency relations a path may take from a place up to its event's trigger.
_SCENE_LINKS = frozenset({"pobj", "prep", "dobj", "conj", "compound", "nmod", "appos", "npadvmod", "amod", "pcomp",
                          "attr", "oprd", "dative"})


class SceneFinder:
    """Which places of a sentence are the scene of its event, by the sentence's syntax: a place the trigger
    governs through a scene preposition, as its object or as a modifier of its noun ("shelled Kharkiv", "fighting
    near A, B and C", "the Kharkiv mall attack"), not a place that acts or describes someone ("Russia declared",
    "Jones, an Ohio native, was detained in Kenya"). Keeps no state between calls (shared by every user of a server)."""

    def __init__(self, nlp: object) -> None:
        self.nlp = nlp

    def parse(self, text: str):  # type: ignore[no-untyped-def]
        return self.nlp(text)  # type: ignore[operator]

    @staticmethod
    def _token_at(doc, start: int, end: int):  # type: ignore[no-untyped-def]
        return next((t for t in doc if t.idx <= start < t.idx + len(t) or start <= t.idx < end), None)

    def closest(self, doc, trigger: tuple[int, int], spans: Sequence[tuple[int, int]]) -> list[int]:  # type: ignore[no-untyped-def]
        """Indices into ``spans`` (character spans of ``doc``'s text) of those nearest the trigger in the
        dependency tree (the time expression of the trigger's own clause, not of the clause that tells of it)."""
        head = self._token_at(doc, *trigger)
        if head is None:
            return list(range(len(spans)))
        up = {t.i: n for n, t in enumerate([head, *head.ancestors])}
        distances = []
        for start, end in spans:
            span = doc.char_span(start, end, alignment_mode="expand")
            if span is None:
                distances.append(99)
                continue
            chain = [span.root, *span.root.ancestors]
            distances.append(next((n + up[t.i] for n, t in enumerate(chain) if t.i in up), 99))
        best = min(distances)
        return [k for k, d in enumerate(distances) if d == best]

    def scenes(self, doc, trigger: tuple[int, int], places: Sequence[tuple[int, int]]) -> list[int]:  # type: ignore[no-untyped-def]
        """Indices into ``places`` (character spans of ``doc``'s text) of the scene's places, in text order."""
        head = self._token_at(doc, *trigger)
        if head is None:
            return []
        anchors = {head.i}
        if head.dep_ in {"nsubj", "nsubjpass", "dobj", "pobj", "compound", "amod"} or head.pos_ in {"NOUN", "PROPN"}:
            anchors.add(head.head.i)  # a noun trigger: its verb or noun governs the place as well
            if head.dep_ == "pobj" and head.head.dep_ == "prep":
                anchors.add(head.head.head.i)
        found, modifiers = [], set()
        for k, (start, end) in enumerate(places):
            span = doc.char_span(start, end, alignment_mode="expand")
            if span is not None and self._governed(span.root, anchors):
                found.append(k)
                if span.root.dep_ in {"compound", "amod", "nmod"} and span.root.head.i in anchors:
                    modifiers.add(k)
        # A place that modifies the means ("a U.S. drone strike", "Turkish shelling") says whose it was; with a
        # place the trigger governs by a preposition or as its object ("... in Yemen"), that one is the scene.
        return [k for k in found if k not in modifiers] if set(found) - modifiers else found

    @staticmethod
    def _governed(token, anchors: set[int]) -> bool:  # type: ignore[no-untyped-def]
        """Whether the path from ``token`` up to one of ``anchors`` is a scene's: through scene prepositions,
        objects, lists and noun modifiers, never through a subject, a possessive or someone described."""
        steps = 0
        while steps < 6:
            if token.i in anchors:
                return steps > 0
            if token.dep_ not in _SCENE_LINKS or token.head.i == token.i:
                return False
            if token.dep_ == "prep" and token.lower_ not in SCENE_PREPOSITIONS:
                return False
            if token.dep_ == "appos" and token.head.ent_type_ == "PERSON":
                return False
            if token.dep_ in {"compound", "amod", "nmod"} and token.head.dep_ == "appos":
                return False  # "Jones, an Ohio native": the place describes a person
            token = token.head
            steps += 1
        return False


class EventExtractor:
    """Extracts events from an article given its resolved places and time expressions; with a ``SceneFinder``,
    the scene of each event is the place its trigger governs when the sentence names one."""

    def __init__(self, scenes: SceneFinder | None = None,
                 country_name: Callable[[str], str] | None = None) -> None:
        self.scene_finder = scenes
        self.country_name = country_name or (lambda code: "")  # ISO code -> the country's name

    def extract(self, article: Article, resolutions: Sequence[Resolution], timexes: Sequence[TimeExpression],
                entities: Sequence[tuple[str, int, int, str]] = ()) -> list[Event]:
        by_sentence: dict[int, list[Resolution]] = {}
        for r in resolutions:
            by_sentence.setdefault(r.mention.sentence, []).append(r)
        # The entities of each sentence (by the sentence its start falls in), so that an event looks at its own
        # sentence's names only: linear in the document, not events x entities.
        sentence_of = SentenceIndex(article)
        ents_by_sentence: dict[int, list[tuple[str, int, int, str]]] = {}
        for ent in entities:
            ents_by_sentence.setdefault(sentence_of(ent[1]), []).append(ent)
        times: dict[int, list[TimeExpression]] = {}
        for t in timexes:
            times.setdefault(t.sentence, []).append(t)
        focus = focus_country(resolutions)
        # How each named place was resolved (the resolver's reason), for the event's "why placed".
        reasons = {(r.mention.text, r.place.place_id): r.reason for r in resolutions if r.place is not None}
        dct = article.published or dt.date.today()
        events: list[Event] = []
        headline = _headline(article)
        undated_headline: set[str] = set()  # the events the title line tells with no time of its own
        undated: set[str] = set()  # ... and the other sentences
        reference: tuple[dt.datetime, dt.datetime, TimePrecision] = (*day_interval(dct), TimePrecision.DAY)
        onset = _stated_onset(article, timexes)
        main_place = _main_place(resolutions, focus)
        previous_place: tuple[int, Place, str, float] | None = None
        inside_quote = False
        last_paragraph = -1
        for sentence in article.sentences:
            if sentence.paragraph != last_paragraph:
                inside_quote = False
                last_paragraph = sentence.paragraph
            unquoted, inside_quote = _unquoted_mask(sentence, inside_quote)
            sentence_times = [t for t in times.get(sentence.index, []) if t.interval_end is not None]
            if sentence.kind is not SentenceKind.STORY:
                continue
            found = _find_trigger(unquoted)
            sentence_places = by_sentence.get(sentence.index, [])
            own_place = self._place(sentence_places, focus)
            if found is None:
                reference = self._advance(reference, sentence_times, article.text)
                if own_place is not None and not _is_agentive(own_place[0], focus):
                    previous_place = (sentence.index, *own_place)  # the story moves there
                continue
            parsed: list[object] = []
            views = self._clauses(sentence, unquoted, sentence_places, focus, found)
            for unquoted, sentence_places, suffix, found in views:  # (one per clause that tells violence of its own)
                trigger, match = found
                # "…, Kaduna State police spokesman John Doe said on Saturday": who told it, where and when they
                # spoke, not the event's actor, place or day
                tail = _attribution(unquoted, match.end())
                if tail < len(unquoted):
                    unquoted = unquoted[:tail] + " " * (len(unquoted) - tail)
                    sentence_places = [r for r in sentence_places if r.mention.start - sentence.start < tail]
                # "a U.S. drone strike", "an August 2015 Turkish air raid": the country names whose it was
                # "U.S. officials said", "detained Norway's prime minister": the country names whose office
                where = [r for r in sentence_places
                         if not _names_the_means(r, sentence, match) and not _names_whose(r, sentence)]
                own_place = self._place(where, focus)
                event_type, sub_event_type = _refine(trigger, match, unquoted)
                assault = _assault_before_seizure(trigger, match, unquoted)
                act_at = assault.start() if assault else match.start()  # (where the act is told, for who did it)

                def doc(text: str = sentence.text, parsed: list[object] = parsed) -> object:  # parsed once, if needed
                    if not parsed and self.scene_finder is not None:
                        parsed.append(self.scene_finder.parse(text))
                    return parsed[0]

                scene, also = self._scene(sentence, match, where, doc)
                placed = "the most precise place the sentence names"
                if scene is not None:
                    own_place = scene
                    placed = f"the place “{match.group(0)}” governs in the sentence (its syntax)"
                place_choice = own_place
                named_here = own_place is not None
                recent = previous_place is not None and sentence.index - previous_place[0] <= INHERIT_WITHIN
                if place_choice is None and previous_place and recent:
                    place_choice = (previous_place[1], previous_place[2], previous_place[3] * 0.7)
                    placed = "the sentence names no place: the place of the story a sentence or two before"
                elif place_choice is not None and previous_place and recent and scene is None \
                        and _is_agentive(place_choice[0], focus) \
                        and not self._governed(sentence, match, where, place_choice[0], doc):
                    # (the place the act governs is its scene, a capital too: "protested outside the embassy in X")
                    # "The Kremlin gave the fighters a deadline": the capital acts; the story stays where it was.
                    placed = f"“{place_choice[1]}” acts here (a seat of power abroad): the story's place before"
                    place_choice = (previous_place[1], previous_place[2], previous_place[3] * 0.6)
                site = _SITE.search(unquoted) if place_choice is not None and place_choice[0].kind == "country" \
                    else None
                if site:
                    # "at the Estadio del ... in <country>": a named site lies in the one town of that country the
                    # story names, not at the country's centre
                    country_place = place_choice[0]
                    towns = {r.place.place_id: r for r in resolutions if r.place is not None and r.place.kind == "city"
                             and r.place.country == country_place.country}
                    if len(towns) == 1:
                        town = next(iter(towns.values()))
                        place_choice = (town.place, town.mention.text, town.confidence * 0.8)
                        placed = f"the site “{site.group(0)}” the sentence names, in the one town of " \
                                 f"{country_place.name} the story names"
                if place_choice is None and main_place is not None:
                    place_choice = main_place
                    placed = "no place near: the place the story is about (named most often)"
                if place_choice is None:
                    place_choice = self._actor_country(by_sentence.get(sentence.index, []))
                    placed = "only a country that acts is named: that country"
                own_times = [t for t in self._own_times(sentence, match, times.get(sentence.index, []), doc)
                             if t.start - sentence.start < tail]
                when = self._time(sentence, own_times, reference, onset)
                reference = self._advance(reference, sentence_times, article.text)
                if place_choice is None:
                    continue
                place, place_text, place_conf = place_choice
                previous_place = (sentence.index, place, place_text, place_conf)
                country = (place.country, self.country_name(place.country)) if place.country else ("", "")
                actor1, actor2 = self._actors(sentence, act_at, sentence_places,
                                              ents_by_sentence.get(sentence.index, []), focus, unquoted,
                                              sources_act=trigger.event_type is EventType.STATEMENT, country=country)
                actor1, actor2 = _default_actors(event_type, actor1, actor2, country, unquoted)
                if trigger.sub_event_type == "Report" and not actor1:
                    continue  # "..., the statement said": a report with nobody named is no event of its own
                fatalities, qualifier = _fatalities(sentence.text)
                typed = f"“{match.group(0)}”: {trigger.event_type.value} / {trigger.sub_event_type} (trigger rules)"
                if (event_type, sub_event_type) != (trigger.event_type, trigger.sub_event_type):
                    typed += f", then {event_type.value} / {sub_event_type} by what the sentence says of its target"
                events.append(Event(
                    event_id=f"{article.article_id}-e{sentence.index:03d}{suffix}",
                    article_id=article.article_id,
                    event_type=event_type,
                    sub_event_type=sub_event_type,
                    trigger=match.group(0),
                    sentence_index=sentence.index,
                    sentence=sentence.text,
                    start=sentence.start,
                    end=sentence.end,
                    place=place,
                    place_text=place_text,
                    date_start=when[0],
                    date_end=when[1],
                    time_precision=when[2],
                    time_text=when[3],
                    time_value=when[4],
                    actor1=actor1,
                    actor2=actor2,
                    fatalities=fatalities,
                    fatalities_qualifier=qualifier,
                    place_confidence=round(place_conf, 3),
                    time_confidence=when[5],
                    why_typed=typed,
                    why_placed=f"{placed}; {reasons.get((place_text, place.place_id), 'placed before')}",
                    why_dated=_why_dated(when, len([t for t in own_times if t.interval_end is not None]) <
                                         len(sentence_times)),
                ))
                main = events[-1]
                dated_here = any(t.interval_end is not None for t in own_times)
                told = None if named_here or dated_here else _told_before(events, unquoted, match)
                if told is not None:  # "He gave no motive for the attack": the attack told before, once more
                    events.pop()
                    events[told] = _another_telling(events[told], main)
                    continue
                if sentence.index == headline and not dated_here:
                    undated_headline.add(main.event_id)
                elif not dated_here:
                    undated.add(main.event_id)
                for k, other in enumerate(also if scene is not None and place is scene[0] else []):
                    # "fighting near A, B and C": a clash at each
                    events.append(replace(main, event_id=f"{main.event_id}-{k + 2}", place=other.place,
                                          place_text=other.mention.text, place_confidence=round(other.confidence, 3),
                                          why_placed=f"one of the towns “{match.group(0)}” governs, each an event; "
                                                     f"{other.reason}"))
        return merge_events(_site_told_when(_headline_told_below(events, undated_headline), undated | undated_headline))

    # -- where ---------------------------------------------------------------------------------
    @staticmethod
    def _clauses(sentence: Sentence, unquoted: str, places: Sequence[Resolution], focus: str | None,
                 found: tuple[Trigger, re.Match[str]]
                 ) -> list[tuple[str, Sequence[Resolution], str, tuple[Trigger, re.Match[str]]]]:
        """The sentence as one view, or, when two or more of its clauses (cut at ";" or ", and/while/but") each
        tell violence of their own ("the city was shelled; fighting went on near A and B"), one view per such
        clause: its words alone (the rest blanked), its own places, a suffix for its event id and its trigger
        (``found``: the sentence's). A clause whose places lie outside the story's country ("Russia struck ...")
        keeps the sentence's others."""
        cuts = [0, *(m.end() for m in _CLAUSE_BREAK.finditer(unquoted)), len(unquoted)]
        if len(cuts) < 3:
            return [(unquoted, places, "", found)]  # one clause
        views = []
        for a, b in zip(cuts, cuts[1:], strict=False):
            masked = " " * a + unquoted[a:b] + " " * (len(unquoted) - b)
            own_found = _find_trigger(masked)
            if own_found is None or not own_found[0].violent:
                continue
            own = [r for r in places if a <= r.mention.start - sentence.start < b]
            if not any(r.place is not None and r.place.country == focus for r in own):
                own = [r for r in places if r not in own and r.place is not None and r.place.country == focus] or own
            views.append((masked, own, own_found))
        if len(views) < 2:
            return [(unquoted, places, "", found)]
        return [(masked, own, "" if k == 0 else f"-c{k + 1}", own_found)
                for k, (masked, own, own_found) in enumerate(views)]

    @staticmethod
    def _place(resolutions: Sequence[Resolution], focus: str | None) -> tuple[Place, str, float] | None:
        places = [r for r in resolutions if r.place is not None and r.mention.is_scene]
        if not places:
            return None
        in_focus = [r for r in places if r.place and r.place.country == focus]
        pool = in_focus or places

        def rank(r: Resolution) -> tuple[bool, int, bool, int]:  # a place the sentence names, before its dateline's
            # (where the story was filed); the most specific kind; among equals a place named as such before an
            # adjective ("a British hacker ... in Syria": Syria), then the first named
            assert r.place is not None
            return (r.mention.source != "dateline", PLACE_RANK.get(r.place.kind, 0),
                    r.mention.kind is not MentionKind.ADJECTIVAL, -r.mention.start)

        best = max(pool, key=rank)
        assert best.place is not None
        return best.place, best.mention.text, best.confidence

    def _scene(self, sentence: Sentence, match: re.Match[str], resolutions: Sequence[Resolution],
               doc: Callable[[], object]) -> tuple[tuple[Place, str, float] | None, list[Resolution]]:
        """The most specific place the trigger governs (``SceneFinder``) when the sentence names more than one
        place (None leaves the choice to ``_place``), and the other towns it governs alike: one event each."""
        if self.scene_finder is None:
            return None, []
        places = [r for r in resolutions if r.place is not None and r.mention.is_scene]
        if len(places) < 2:
            return None, []
        finest = max(places, key=lambda r: PLACE_RANK.get(r.place.kind, 0))  # type: ignore[union-attr]
        if all(r.place.place_id == finest.place.place_id or _contains(r.place, finest.place)  # type: ignore[union-attr]
               for r in places):
            return None, []  # a town and the areas that hold it ("Kherson, Ukraine"): the town, without the syntax
        spans = [(r.mention.start - sentence.start, r.mention.end - sentence.start) for r in places]
        chosen = [places[k] for k in self.scene_finder.scenes(doc(), (match.start(), match.end()), spans)]
        if not chosen:
            return None, []
        # A place inside the scene says more precisely where ("the war in Ukraine ... the easternmost regions").
        inside = [r for r in places if r not in chosen and any(
            c.place is not None and r.place is not None and _contains(c.place, r.place) for c in chosen)]
        best = self._place(chosen + inside, None)
        if best is None:
            return None, []
        towns = {"city", "facility", "landmark"}
        also, seen = [], {best[0].place_id}
        for r in chosen:
            assert r.place is not None
            if best[0].kind in towns and r.place.kind in towns and r.place.place_id not in seen:
                seen.add(r.place.place_id)
                also.append(r)
        return best, also

    def _governed(self, sentence: Sentence, match: re.Match[str], resolutions: Sequence[Resolution], place: Place,
                  doc: Callable[[], object]) -> bool:
        """Whether the trigger governs where ``place`` is named, as a scene (``SceneFinder``)."""
        spans = [(r.mention.start - sentence.start, r.mention.end - sentence.start) for r in resolutions
                 if r.place is place]
        return bool(self.scene_finder is not None and spans
                    and self.scene_finder.scenes(doc(), (match.start(), match.end()), spans))

    def _own_times(self, sentence: Sentence, match: re.Match[str], timexes: Sequence[TimeExpression],
                   doc: Callable[[], object]) -> list[TimeExpression]:
        """The time expressions of the trigger's own clause, when the sentence's name different days ("police
        said on Monday that the blast the day before..."): those nearest the trigger in the syntax."""
        dated = [t for t in timexes if t.interval_end is not None]
        if self.scene_finder is None or len({(t.interval_start, t.interval_end) for t in dated}) < 2:
            return list(timexes)
        spans = [(t.start - sentence.start, t.end - sentence.start) for t in dated]
        near = {id(dated[k]) for k in self.scene_finder.closest(doc(), (match.start(), match.end()), spans)}
        return [t for t in timexes if t.interval_end is None or id(t) in near]

    @staticmethod
    def _actor_country(resolutions: Sequence[Resolution]) -> tuple[Place, str, float] | None:
        for r in resolutions:
            if r.mention.kind is MentionKind.ACTOR and r.place is not None:
                return r.place, r.mention.text, 0.5
        return None

    # -- when ----------------------------------------------------------------------------------
    @staticmethod
    def _advance(reference: tuple[dt.datetime, dt.datetime, TimePrecision],
                 sentence_times: Sequence[TimeExpression], text: str = "") -> tuple[dt.datetime, dt.datetime, TimePrecision]:
        """The day the story is at after a sentence: the day it names, unless that day only says which event is
        meant ("claimed the Jan. 4 bombings", "after Sunday's vote"): the story stays where it was (``text``: the
        article's text, where the times' offsets point)."""
        for t in sentence_times:
            if t.interval_start and t.interval_end and t.precision in {TimePrecision.DAY, TimePrecision.HOUR} and not t.bound:
                if text and _NAMES_AN_EVENT_AFTER.match(text, t.end):
                    continue
                day = t.interval_start.date()
                return (*day_interval(day), TimePrecision.DAY)
        return reference

    @staticmethod
    def _time(sentence: Sentence, timexes: Sequence[TimeExpression],
              reference: tuple[dt.datetime, dt.datetime, TimePrecision], onset: dt.datetime | None = None
              ) -> tuple[dt.datetime | None, dt.datetime | None, TimePrecision | None, str, str, float]:
        dated = [t for t in timexes if t.interval_end is not None]
        # Prefer the finest expression: a clock time over its day, a day over a week.
        order = {TimePrecision.HOUR: 0, TimePrecision.DAY: 1, TimePrecision.WEEK: 2, TimePrecision.MONTH: 3,
                 TimePrecision.YEAR: 4}
        dated.sort(key=lambda t: (t.bound is not None, order.get(t.precision, 5) if t.precision else 5))
        if dated:
            t = dated[0]
            return t.interval_start, t.interval_end, t.precision, t.text, t.value, t.confidence
        # "a 22-year-old guard", "a 15-minute gunfight", "a five-year plan": a length that describes a person or a
        # thing, not how long ago the event began
        # (nor does a length of minutes or hours, "40 minutes after the alarm": it keeps the event on the story's
        # day; read as months, "PT40M" had dated a shooting 40 months back)
        durations = [t for t in timexes if t.type == "DURATION" and not _HYPHENATED_LENGTH.search(t.text)
                     and not str(t.value).startswith("PT")]
        ref_start, ref_end, _ = reference
        if durations:
            d = durations[0]
            span = _duration_days(d.value)
            if _LATER.match(sentence.text, d.end - sentence.start):
                # "three months later": after the day the story is at, not before it (it had been counted back)
                day = ref_start + dt.timedelta(days=span)
                half = dt.timedelta(days=min(span // 2, 15) if span > 1 else 0)
                return (day - half, day + half + dt.timedelta(days=1),
                        TimePrecision.DAY if not half else TimePrecision.WEEK if span < 28 else TimePrecision.MONTH,
                        f"{d.text} later", d.value, 0.4)
            start = ref_end - dt.timedelta(days=span)
            low, high = _vague_range_days(d.value)
            if onset is not None and low <= (ref_end - onset).days <= high:
                start = onset  # "weeks of shelling" in a war the article says began 50 days ago
            span = (ref_end - start).days
            return (start, ref_end, TimePrecision.MONTH if span >= 28 else TimePrecision.WEEK, d.text, d.value, 0.4)
        return ref_start, ref_end, TimePrecision.DAY, "", ref_start.date().isoformat(), 0.4

    # -- who -----------------------------------------------------------------------------------
    def _actors(self, sentence: Sentence, trigger_at: int, resolutions: Sequence[Resolution],
                entities: Sequence[tuple[str, int, int, str]], focus: str | None, unquoted: str = "",
                sources_act: bool = False, country: tuple[str, str] = ("", "")) -> tuple[str, str]:
        """The actors named nearest before and after the trigger, outside quotations, as ACLED names them where
        the group is known (``geo.actors``: "Russian troops" -> "Military Forces of Russia (2000-)", "police" ->
        "Police Forces of <the event's country>"). Who tells of an event (the subject of "said", "told",
        "according to") is its source, not its actor, unless the event is the statement itself
        (``sources_act``). ``country``: (ISO code, name) of the event's place."""
        phrases: list[tuple[int, int, str]] = []  # (start, end) in the sentence, and the actor's name
        text = sentence.text
        place_spans = [(r.mention.start, r.mention.end) for r in resolutions if r.mention.is_place]
        for r in resolutions:
            rel = r.mention.start - sentence.start
            if r.mention.is_place and r.place is not None and _is_agentive(r.place, focus):
                # "Moscow had captured the city", "the Kremlin denied": a seat of power abroad stands for its
                # state: its forces in an act, its government in a statement (as ACLED names them)
                named = acled_name("government" if sources_act else "force", self.country_name(r.place.country),
                                   r.place.country) if r.place.country else ""
                phrases.append((rel, rel + len(r.mention.text), named or r.mention.text))
            elif r.mention.kind is MentionKind.TOPONYM and r.place is not None and r.place.kind == "country" \
                    and (_SUBJECT_GAP.fullmatch(text[rel + len(r.mention.text):trigger_at])
                         or _COUNTRY_STRIKES.match(text, rel + len(r.mention.text))) \
                    and not sources_act and rel < trigger_at:
                # "Russia struck the port": a country that strikes, shells or attacks does it with its forces
                phrases.append((rel, rel + len(r.mention.text), acled_name("force", r.place.name, r.place.country)
                                or r.mention.text))
            elif r.mention.kind is MentionKind.TOPONYM and r.place is not None and r.place.kind == "country" \
                    and (own := _POSSESSIVE_FORCE.match(text, rel + len(r.mention.text))) and rel < trigger_at:
                # "Myanmar's military junta bombed", "Sudan's army said": the country's own forces or police
                phrases.append((rel, own.end(), acled_name(group_kind(own.group(1)) or "force", r.place.name,
                                                           r.place.country) or r.mention.text + own.group(0)))
            if r.mention.kind is MentionKind.ADJECTIVAL and r.place is not None and r.place.kind == "country" \
                    and not text[rel + len(r.mention.text):trigger_at].strip() and not sources_act:
                # "Russian artillery shelled", "Russian missiles struck": the country's weapon is its forces' act
                phrases.append((rel, rel + len(r.mention.text), acled_name("force", r.place.name, r.place.country)
                                or r.mention.text))
            if r.mention.kind is MentionKind.ACTOR:
                tail = re.match(r"(?:['’]s)?[\s-]*(?:backed\s|led\s)?(?:[\w-]+\s)?(forces|troops|fighters|soldiers|army|military|junta|"
                                r"president|officials|government|separatist forces|separatists|police|policem[ae]n|"
                                r"navy|marines|artillery|authorities)\b", text[rel + len(r.mention.text):])
                if not tail and r.place is not None and r.place.kind != "country":
                    continue  # "Kherson residents held protests": a town's people, not a force named by the town
                phrase = (r.mention.text + (tail.group(0) if tail else "")).strip()
                kind = group_kind(tail.group(1)) if tail and r.place is not None and r.place.kind == "country" else None
                named = acled_name(kind, r.place.name, r.place.country) if kind and r.place is not None else ""
                phrases.append((rel, rel + len(phrase), named or phrase))
        for text_, start, _end, label in entities:
            overlaps_place = any(start < e and s < _end for s, e in place_spans)
            quoted = bool(unquoted) and sentence.start <= start < sentence.end and \
                not unquoted[start - sentence.start: _end - sentence.start].strip()
            # (a word before a group's noun qualifies the group: "Riot police", "Border guards" are the police)
            qualifies = re.match(r"\s+(?:police|policem[ae]n|forces|troops|officers|soldiers|guards)\b",
                                 text[_end - sentence.start:]) if sentence.start <= start < sentence.end else None
            if label in {"PERSON", "ORG", "NORP"} and sentence.start <= start < sentence.end and not overlaps_place \
                    and " ".join(text_.split()).lower() not in NEWS_AGENCIES \
                    and not quoted and not (qualifies and len(text_.split()) == 1):
                rel = start - sentence.start
                phrases.append((rel, _end - sentence.start, " ".join(text_.split())))
        for at, end, kind in groups_in(unquoted or text):  # bare groups: "police", "civilians", "protesters"
            if country[1] and not any(a <= at < b for a, b, _ in phrases):
                phrases.append((at, end, acled_name(kind, country[1], country[0])))
        if not sources_act:
            phrases = [(a, b, p) for a, b, p in phrases if not _is_source(text, a, b - a)]
        phrases.sort()
        before = [p for pos, _, p in phrases if pos < trigger_at]
        after = [p for pos, _, p in phrases if pos > trigger_at]
        # Civilians are who violence is done to, never who does it (ACLED): they are the second actor, if any.
        victims = acled_name("civilians", country[1], country[0]) or None
        actors = [p for p in before if p != victims]
        # Nobody named before the act: who is named after it is its agent only when the sentence says "by" ("was
        # attacked by gunmen"); otherwise it is what the act hit ("a bomb exploded near a police checkpoint").
        by_agent = [p for pos, _, p in phrases if pos > trigger_at and re.search(r"\bby\s+(?:the\s+|an?\s+)?$",
                                                                                   text[max(0, pos - 8):pos])]
        actor1 = actors[-1] if actors else (by_agent[0] if by_agent else "")
        # A list the act is followed by only where it took place ("units were fighting in the town, including the
        # 1st Brigade and the police") names who acted, not whom they fought; after an object ("killed five people,
        # including two policemen") it names who was hit, and stays the second actor.
        word = re.match(r"[\w'-]+", text[trigger_at:])
        members = _MEMBERS_AFTER_SCENE.match(text, trigger_at + (word.end() if word else 0))
        if members:
            listed = [p for pos, _, p in phrases if pos >= members.end()]
            after = [p for p in after if p not in listed]
            actor1 = actor1 or (listed[0] if listed else "")
        after = [p for p in after if p != actor1]  # one actor is never both sides
        actor2 = after[0] if after else (victims if victims in before and victims != actor1 else "")
        return actor1, actor2


# A reporting verb right after a name ("Boychenko said", "the ministry, which reported", "Smith told reporters"),
# or "according to" right before it: the name is who tells, not who acted.
_SAID_AFTER = re.compile(rf"\W{{0,3}}(?:(?:who|which|also|later|had|has|have)\s+){{0,2}}"
                         rf"(?:{alternation('reporting_verbs')})\b", re.IGNORECASE)
# A title may stand between: "according to Mayor Jane Roe", "said by Police Chief John Doe".
_ACCORDING_BEFORE = re.compile(r"\b(?i:according to|told by|said by)\s+(?:(?i:the)\s+)?(?:[A-Z][\w.'-]*\s+){0,3}$")


def _is_source(text: str, at: int, length: int) -> bool:
    """Whether the name at ``text[at:at + length]`` is the source of a report rather than an actor."""
    return bool(_SAID_AFTER.match(text, at + length) or _ACCORDING_BEFORE.search(text[max(0, at - 50):at]))


def _why_dated(when: tuple[object, ...], own_clause: bool) -> str:
    """Why an event has its dates, in words: the expression it took and how, or the day the story was at."""
    text, value = when[3], str(when[4])
    if not text:
        return f"the sentence names no time: the day the story is at, {describe_value(value)}"
    if value.startswith("P") and text.endswith(" later"):
        return f"“{text}”: {describe_value(value, 'DURATION')} after the day the story is at"
    if value.startswith("P"):
        return f"“{text}” ({describe_value(value, 'DURATION')}) counted back from the day the story is at"
    return f"“{text}”: {describe_value(value)}" + (", the time named in the event's own clause" if own_clause else "")


def _main_place(resolutions: Sequence[Resolution], focus: str | None) -> tuple[Place, str, float] | None:
    """The place the article is about: the town, facility or region named most often in the focus country
    (two mentions at least), for sentences that name none and follow none that did."""
    counts: dict[str, list[Resolution]] = {}
    for r in resolutions:
        p = r.place
        if p is not None and r.mention.is_scene and p.kind in {"city", "facility", "landmark", "admin1", "admin2", "area"} \
                and (focus is None or p.country == focus) and not _is_agentive(p, focus):
            counts.setdefault(p.place_id, []).append(r)
    if not counts:
        return None
    best = max(counts.values(), key=lambda rs: (len(rs), -rs[0].mention.start))
    if len(best) < 2:
        return None
    assert best[0].place is not None
    return best[0].place, best[0].mention.text, 0.35


def _is_agentive(place: Place, focus: str | None) -> bool:
    """A seat of power abroad ("Moscow", "the Kremlin") in a story focused elsewhere acts; it is not the scene."""
    return bool(focus and place.country != focus and (place.kind == "landmark" or place.capital))


def _duration_days(value: str) -> int:
    match = re.match(r"P(?P<n>\d+|X)(?P<u>[DWMY])", value)
    if not match:
        return 14
    n = 2 if match.group("n") == "X" else int(match.group("n"))
    return n * {"D": 1, "W": 7, "M": 30, "Y": 365}[match.group("u")]


def _vague_range_days(value: str) -> tuple[int, int]:
    """How long a vague duration ("days", "weeks", "months": PXD, PXW, PXM) can plausibly be, in days."""
    unit = value[-1:] if value.startswith("PX") else ""
    return {"D": (2, 20), "W": (14, 120), "M": (60, 1100), "Y": (730, 36500)}.get(unit, (0, -1))


_SINCE = re.compile(r"\bsince\b(?:\s+\S+){0,6}\s*$", re.IGNORECASE)
#: A site named with its noun first, as in Romance languages: "Rue ...", "Estadio de ...", "Gare du ..." (the
#: recogniser's site-name rule keeps its name from being taken for a town elsewhere).
_SITE = re.compile(rf"\b(?:{'|'.join(sorted((re.escape(w.capitalize()) for w in words('site_nouns')), key=len, reverse=True))})\s+(?:(?:de|du|des|del|della|di|do|da|dos|das|la|le|los|"
                   r"las)\s+){0,2}[A-Z][\w'’-]+")
#: After a length: it is counted forward from the story's day ("three months later", "weeks afterwards").
_LATER = re.compile(r"\s+(?:later|afterwards?)\b", re.IGNORECASE)
#: A day that modifies an event's noun: "the Jan. 4 bombings", "Sunday's vote", "the March 3 deadly attack".
_NAMES_AN_EVENT_AFTER = re.compile(rf"(?:['’]s)?\s+(?:[a-z-]+\s+)?(?:{alternation('event_nouns')})\b")


def _stated_onset(article: Article, timexes: Sequence[TimeExpression]) -> dt.datetime | None:
    """The earliest onset the article states with "since" ("since the onslaught of the war more than 50 days
    ago"): the start of an ongoing situation. An open bound ("on or before") gives its last possible day."""
    onsets = []
    for t in timexes:
        if t.interval_end is None or t.type not in {"DATE", "TIME"}:
            continue
        sentence = next((s for s in article.sentences if s.index == t.sentence), None)
        if sentence is None or not _SINCE.search(article.text[sentence.start: t.start]):
            continue
        onsets.append(t.interval_start or t.interval_end - dt.timedelta(days=1))
    return min(onsets) if onsets else None


# -- the same event told twice ---------------------------------------------------------------------
#: A determiner before a trigger noun that points back to an event already told ("the attack", "this killing").
_BACK_REFERENCE = re.compile(r"\b(?:the|this|that|these|those|its|their|his|her)\s+(?:[\w-]+\s+){0,2}$", re.IGNORECASE)


_POLITICAL_VIOLENCE = frozenset({EventType.BATTLES, EventType.EXPLOSIONS, EventType.VIOLENCE_AGAINST_CIVILIANS})
_NOT_A_MODIFIER = frozenset({"was", "were", "is", "are", "be", "been", "being", "has", "have", "had", "who", "which",
                             "that", "and", "or", "to", "not", "would", "will", "could", "can", "may", "might"})


#: Sub-event types of one kind: who holds ground changed (a headline's "retake" is the body's "troops entered").
_TERRITORY = frozenset({"Government regains territory", "Non-state actor overtakes territory",
                        "Non-violent transfer of territory"})


def _same_kind(a: Event, b: Event) -> bool:
    """One kind of event for a reference back to it: the same type, or political violence both ("gunmen attacked a
    checkpoint", a clash, then "the attack"), or a change of who holds ground both."""
    return a.event_type is b.event_type or {a.event_type, b.event_type} <= _POLITICAL_VIOLENCE \
        or {a.sub_event_type, b.sub_event_type} <= _TERRITORY


def _told_before(events: list[Event], text: str, match: re.Match[str]) -> int | None:
    """The index of the event a definite mention refers back to ("the attack", "the police shootout"), in a
    sentence naming neither place nor time of its own: the latest event of its type told before it."""
    before = _BACK_REFERENCE.search(text[:match.start()])
    if before is None or len(events) < 2 or match.group(0).lower().endswith("ed") \
            or _NOT_A_MODIFIER & set(before.group(0).lower().split()[1:]):
        return None  # "the man was arrested": a verb, a new act
    new = events[-1]
    if new.event_type is EventType.STATEMENT:
        return None
    for i in range(len(events) - 2, -1, -1):
        if _same_kind(events[i], new):
            return i
    return None


#: A sentence's closing attribution: ", <who> said (on <day>)." after the event it reports.
_ATTRIBUTION = re.compile(rf",[ \t]+(?=[^,;]{{0,100}}?\b(?:{alternation('reporting_verbs')})\b[^,;]{{0,40}}$)",
                          re.IGNORECASE)


def _attribution(text: str, after: int) -> int:
    """Where the sentence's closing attribution begins, past ``after`` (the trigger's end); its length if none."""
    found = [m.start() for m in _ATTRIBUTION.finditer(text, after)]
    return found[-1] if found else len(text)


def _headline(article: Article) -> int | None:
    """The index of the article's headline, when its first line is one (short, no full stop, a paragraph alone)."""
    if not article.sentences:
        return None
    first = article.sentences[0]
    alone = len(article.sentences) == 1 or article.sentences[1].paragraph != first.paragraph
    text = first.text.strip()
    return 0 if alone and len(text) <= 120 and not text.endswith(".") else None


def _headline_told_below(events: list[Event], undated: set[str]) -> list[Event]:
    """The title line's event with no time of its own ("Gunmen kill 12 in attack on village") is the story's event of
    its kind told below, once more: not another event on the publication day."""
    out = list(events)
    for event in [e for e in events if e.event_id in undated]:
        told = [i for i, e in enumerate(out) if e.sentence_index > event.sentence_index and _same_kind(e, event)]
        # of those, the first at its place; none there: the first of all, unless the title names a town of its own
        # ("Troops retake <City>" is not the shelling of another town below)
        here = [i for i in told if _same_place(out[i].place, event.place) or _same_place(event.place, out[i].place)]
        own_town = event.place is not None and event.place.kind in {"city", "facility", "landmark"}
        below = here[0] if here else (told[0] if told and not own_town else None)
        if below is not None:
            out[below] = _another_telling(out[below], event)
            out.remove(event)
    return out


#: An event named as a landmark in time: "since the Kremenchuk shopping mall attack", "after the bridge blast".
_NAMED_BEFORE = re.compile(r"\b(?:since|after|before|than|like|recalling) the (?:[\w'’-]+ ){1,5}?(?:attack|strike|"
                           r"bombing|blast|explosion|shelling|massacre|shooting|siege|raid)s?\b", re.IGNORECASE)


def _site_told_when(events: list[Event], undated: set[str]) -> list[Event]:
    """An event at a site (a mall, a bridge, a plant) told with no time of its own ("the deadliest since the mall
    attack") is the event of its kind at that site that the story dates ("On June 27 last year, a missile hit the
    mall"), told once more: not another event on the story's day."""
    out = list(events)
    for event in [e for e in events if e.event_id in undated and e.place is not None
                  and e.place.kind in {"facility", "landmark"} and _NAMED_BEFORE.search(e.sentence)]:
        dated = next((i for i, e in enumerate(out) if e.event_id not in undated and _same_kind(e, event)
                      and e.place is not None and e.place.place_id == event.place.place_id), None)
        if dated is not None:
            out[dated] = _another_telling(out[dated], event)
            out.remove(event)
    return out


def _most_fatal(a: Event, b: Event) -> Event | None:
    """Of two tellings of one event, the one giving the higher toll (None: neither gives one)."""
    counted = [e for e in (a, b) if e.fatalities is not None]
    return max(counted, key=lambda e: e.fatalities or 0) if counted else None


def _another_telling(event: Event, telling: Event) -> Event:
    """The event with one more sentence that tells it (and the higher toll either gives)."""
    most = _most_fatal(event, telling)
    return replace(event, sources=tuple(sorted(set(event.tellings + telling.tellings),
                                               key=lambda s: (s.article_id, s.sentence_index))),
                   fatalities=most.fatalities if most else None,
                   fatalities_qualifier=most.fatalities_qualifier if most else "")


_VIOLENT_TYPES = {EventType.BATTLES, EventType.EXPLOSIONS, EventType.VIOLENCE_AGAINST_CIVILIANS, EventType.RIOTS,
                  EventType.PROTESTS}


def _family(event: Event) -> tuple[str, str, str]:
    """Violent events: the trigger rule (shelling = barrage = artillery; fighting differs from killing);
    others: the trigger's stem ("deadline"), and for statements also the speaker."""
    if event.sub_event_type in TERRITORY_CHANGES:  # "troops entered X", then "retaking X": one change of hands
        return "territory", "territory", ""
    if event.event_type is EventType.EXPLOSIONS:  # a blast, a bomb, a suicide bomb: one explosion
        group = {"Suicide bomb": "explosive", GENERIC_EXPLOSION: "explosive", "Grenade": "explosive"}
        return event.event_type.value, group.get(event.sub_event_type, event.sub_event_type), ""
    if event.event_type in _VIOLENT_TYPES:
        rule = next((i for i, t in enumerate(TRIGGERS) if t.pattern.fullmatch(event.trigger)), -1)
        return event.event_type.value, event.sub_event_type, str(rule)
    speaker = event.actor1.lower() if event.event_type is EventType.STATEMENT else ""
    return event.event_type.value, re.sub(r"[^a-z]", "", event.trigger.lower())[:6], speaker


GENERIC_EXPLOSION = "Remote explosive/landmine/IED"  # what a bare "blast" or "explosion" is taken for
#: ACLED's sub-types of a place changing hands: told twice in a story ("entered", "the retaking of"), one event.
TERRITORY_CHANGES = frozenset({"Non-violent transfer of territory", "Government regains territory",
                               "Non-state actor overtakes territory"})


def _contains(area: Place, point: Place) -> bool:
    """Whether a country or admin-1 area holds the other place ("central Spain" holds Toledo)."""
    if area.kind == "country":
        return bool(area.country) and point.country == area.country and point.kind != "country"
    if area.kind == "admin1":
        return bool(area.admin1) and (point.country, point.admin1) == (area.country, area.admin1) and \
            point.kind not in {"country", "admin1"}
    if point.kind in {"country", "admin1", "admin2", "area", "region", "continent"}:
        return False
    if area.kind == "admin2":  # a county: no polygon, its middle point and reach
        return in_county(area, point)
    if area.kind == "area" and area.geometry is not None:  # "central Spain": the part, give or take 50 km
        return bool(shapely.dwithin(area.geometry, shapely.Point(point.lon, point.lat), 0.5))
    return False


def _same_place(a: Place | None, b: Place | None) -> bool:
    if a is None or b is None:
        return False
    if a.place_id == b.place_id:
        return True
    fine, coarse = sorted((a, b), key=lambda p: int(p.geo_precision))
    if fine.kind in {"facility", "landmark"} and coarse.kind == "city":
        return haversine_km(fine.lat, fine.lon, coarse.lat, coarse.lon) <= max(15.0, coarse.uncertainty_km)
    return _contains(coarse, fine)


def _overlap(a: Event, b: Event) -> bool:
    far_past, far_future = dt.datetime.min, dt.datetime.max
    a0, a1 = a.date_start or far_past, a.date_end or far_future
    b0, b1 = b.date_start or far_past, b.date_end or far_future
    return a0 < b1 and b0 < a1


def same_event(a: Event, b: Event) -> bool:
    """Whether two tellings are of one event (see the module's docstring)."""
    return _family(a) == _family(b) and _same_in_family(a, b)


def _same_in_family(a: Event, b: Event) -> bool:
    """``same_event`` for two tellings already known to be of one trigger family."""
    if a.event_type is EventType.STATEMENT and not (a.actor1 and b.actor1):
        return False  # two unattributed statements may be anybody's
    return _overlap(a, b) and _same_place(a.place, b.place)


def _combine(a: Event, b: Event) -> Event:
    """One event from two tellings. The fuller telling (higher confidence) leads and gives the event its id,
    sentence and actors; the place comes from the telling surest of it (then the more precise); the time from
    the telling that states it (a clock time over its day), else from one that gives its extent ("weeks of")."""
    lead, other = (a, b) if (a.confidence, -a.sentence_index) >= (b.confidence, -b.sentence_index) else (b, a)
    if a.place and b.place and (_contains(a.place, b.place) or _contains(b.place, a.place)):
        place_from = b if _contains(a.place, b.place) else a  # "central Spain", then "Toledo": the town
    else:
        place_from = max((lead, other), key=lambda e: (e.place_confidence, -(e.geo_precision or 9)))
    explicit = [e for e in (lead, other) if e.time_confidence >= 0.5]
    order = {TimePrecision.HOUR: 0, TimePrecision.DAY: 1, TimePrecision.WEEK: 2, TimePrecision.MONTH: 3}
    if explicit:
        time_from = min(explicit, key=lambda e: order.get(e.time_precision, 5) if e.time_precision else 5)
    else:
        time_from = next((e for e in (lead, other) if e.time_value.startswith("P")), lead)
    most = _most_fatal(lead, other)
    # "A truck bomb", then "the explosion": the telling that says what kind of explosion it was names it.
    sub_type = other.sub_event_type if lead.sub_event_type == GENERIC_EXPLOSION and \
        other.event_type is lead.event_type else lead.sub_event_type
    event_type = lead.event_type
    if lead.sub_event_type in TERRITORY_CHANGES and other.event_type is EventType.BATTLES \
            and lead.event_type is not EventType.BATTLES:  # one telling says it was taken by fighting: a battle
        event_type, sub_type = other.event_type, other.sub_event_type
    return replace(
        lead, event_type=event_type, sub_event_type=sub_type,
        place=place_from.place, place_text=place_from.place_text,
        place_confidence=min(1.0, max(a.place_confidence, b.place_confidence) + 0.05),
        date_start=time_from.date_start, date_end=time_from.date_end, time_precision=time_from.time_precision,
        time_text=time_from.time_text, time_value=time_from.time_value,
        time_confidence=min(1.0, max(a.time_confidence, b.time_confidence) + 0.05),
        why_placed=place_from.why_placed, why_dated=time_from.why_dated,
        why_typed=lead.why_typed if sub_type == lead.sub_event_type else other.why_typed,
        actor1=lead.actor1 or other.actor1, actor2=lead.actor2 or other.actor2,
        fatalities=most.fatalities if most else None, fatalities_qualifier=most.fatalities_qualifier if most else "",
        sources=tuple(sorted(set(a.tellings + b.tellings), key=lambda s: (s.article_id, s.sentence_index))),
    )


def merge_events(events: Iterable[Event]) -> list[Event]:
    """Merge the tellings of one event, in one article or across the articles of a workspace; the order of
    first tellings is kept. Only events of one trigger family can be one event, so each is compared with the
    events of its family alone (a workspace of thousands of events merges in linear-ish time)."""
    merged: list[Event] = []
    by_family: dict[tuple[str, str, str], list[int]] = {}
    for event in events:
        same_family = by_family.setdefault(_family(event), [])
        for i in same_family:
            if _same_in_family(merged[i], event):
                merged[i] = _combine(merged[i], event)
                break
        else:
            same_family.append(len(merged))
            merged.append(event)
    return merged
