// German: Layer 1's emergency, medical-advice and injection rules and Layer 3's answer patterns.
// Written in German spelling; `folded` makes each umlaut match both its folded letter and its
// two-letter spelling ("ohnmächtig", "ohnmachtig", "ohnmaechtig"). The same decisions as the
// English rules. German puts the verb last ("Kann ich das Ramipril eine Woche absetzen?"), so a
// request is a modal, then the medication, then the verb, within one sentence.

import {
  DOSE_AMOUNT_SOURCE,
  MEDICATION_ANY_LANGUAGE_SOURCE,
  MEDICATION_NAME_SOURCE,
} from "../medication-terms";
import { folded, type LanguagePack } from "./rule-types";

const MED = `${MEDICATION_ANY_LANGUAGE_SOURCE}(?!-?(?:erinnerung\\w*|alarm\\w*|liste|protokoll\\w*|verlauf)\\b)`;
const PILLS = `(?:\\w*tabletten|\\w*pillen|kapseln|dragees|${MEDICATION_NAME_SOURCE})`;
const SOMEONE = `(?:meinem|meiner|seinem|seiner|ihrem|ihrer) (?:mann|frau|partner|partnerin|mutter|vater|bruder|schwester|freund|freundin|nachbarn|nachbarin|oma|opa|sohn|tochter)`;
const ASK = `\\b(?:kann|darf|soll|sollte|muss|könnte|dürfte|müsste) (?:ich|man)\\b`;
const VERB_LAST = `(?:absetzen|weglassen|auslassen|aussetzen|pausieren|halbieren|teilen|brechen|zerkleinern|mörsern|zerdrücken|verdoppeln|doppelt nehmen|erhöhen|steigern|reduzieren|verringern|wechseln|umsteigen|nehmen|einnehmen|schlucken|kombinieren|mischen|aufhören|weiternehmen|benutzen|verwenden|ausprobieren|ausfallen lassen|abends nehmen|morgens nehmen)`;
const CONDITION = `(?:bluthochdruck|hypertonie|hypertoniker\\w*|hypotonie|niedrige[rn]? blutdruck|vorhofflimmern|herzrhythmusstörung\\w*|rhythmusstörung\\w*|herzinsuffizienz|herzschwäche|diabetes|zuckerkrankheit|schlafapnoe|herzkrankheit|herzerkrankung|koronare herzkrankheit|eine krankheit|etwas (?:schlimmes|ernstes) am herzen|etwas mit dem herzen)`;

export const GERMAN: LanguagePack = {
  language: "de",
  emergency: [
    {
      category: "emergency_chest_pain",
      pattern: folded(
        [
          `\\bbrustschmerz\\w*|\\bschmerz\\w* (?:\\w+ ){0,3}?(?:in der|in meiner|an der|hinter dem|im) (?:brust|brustkorb|brustbein)\\b`,
          `\\b(?:druck|enge|engegefühl|druckgefühl|stechen|brennen|ziehen) (?:\\w+ ){0,2}?(?:auf der|in der|in meiner|auf meiner|im) (?:brust|brustkorb)\\b`,
          `\\b(?:brust|brustkorb) (?:\\w+ ){0,2}?(?:tut (?:so |sehr |total )?weh|schmerzt|brennt|drückt|ist (?:ganz |so )?eng|fühlt sich (?:\\w+ )?eng an|zieht sich zusammen|schnürt sich zu)`,
          `\\bschmerz\\w*\\b[^.?!\\n]{0,30}\\b(?:strahl\\w*|zieh\\w*|geh\\w*) (?:\\w+ ){0,2}?(?:in den|in die|bis in den|bis in die|zum|zur) (?:linken |rechten )?(?:arm|kiefer|hals|schulter|rücken)`,
          `\\b(?:drückt|brennt|sticht|schnürt|presst)\\b[^.?!\\n]{0,20}\\b(?:auf der|in der|in meiner|auf meiner|im) (?:brust|brustkorb)\\b`,
          `\\b(?:jemand|etwas|ein elefant)\\b[^.?!\\n]{0,20}\\bauf (?:meiner|der) brust\\b`,
          `\\b(?:strahlt|zieht)\\b[^.?!\\n]{0,30}\\b(?:in den|in die|bis in den|bis in die) (?:linken |rechten )?(?:arm|kiefer)\\b`,
          `\\b(?:habe|hab|hat|bekomme|kriege|bekommt|kriegt) (?:gerade |wohl |vielleicht )?(?:einen )?(?:herzinfarkt|herzanfall)|\\b(?:ist das|ist es|das ist|das ist wohl|glaube,? (?:ich habe|ich hab|das ist|es ist)) (?:\\w+ )?(?:ein )?(?:herzinfarkt|herzanfall)`,
        ],
        "g",
      ),
      suppressible: true,
    },
    {
      category: "emergency_breathing",
      pattern: folded(
        [
          `\\b(?:kann|konnte|kriege|krieg|kriegt|bekomme|bekommt)(?: \\w+){0,2}? (?:nicht|kaum|keine|schlecht) (?:mehr |richtig |genug )?(?:atmen|luft)\\b`,
          `\\b(?:atmet nicht(?: mehr)?|hat aufgehört zu atmen)\\b|\\bich ersticke\\b`,
          `\\b(?:hals|kehle) (?:\\w+ ){0,2}?(?:schnürt sich zu|zugeschnürt|schwillt zu|geschwollen)|\\blippen (?:sind |werden )?(?:ganz )?blau|\\banaphyla\\w*`,
          `\\b(?:kann )?(?:nur )?(?:sehr |ganz )?schwer atmen\\b|\\batme (?:sehr |ganz )?schwer\\b`,
        ],
        "g",
      ),
      suppressible: true,
    },
    {
      // Breathlessness on the stairs is common: it counts with a sign it is sudden or severe.
      category: "emergency_breathing",
      pattern: folded([`\\b(?:atemnot|luftnot|kurzatmig\\w*|außer atem)\\b`], "g"),
      suppressible: true,
      cue: folded(
        [
          `\\b(?:plötzlich|stark\\w*|schwer\\w*|in ruhe|im liegen|im sitzen|jetzt|gerade|brust|keine luft|blau|schlimm\\w*|panik|hilfe|schwindel\\w*)\\b`,
        ],
        "g",
      ),
    },
    {
      category: "emergency_self_harm",
      pattern: folded(
        [
          `\\bsuizid\\w*|\\bselbstmord\\w*|\\bfreitod`,
          `\\bmich (?:selbst )?(?:umbringen|umzubringen|töten)|\\bbringe? mich um\\b|\\bmir (?:das leben nehmen|etwas antun|was antun)|\\bmich (?:selbst )?(?:verletzen|ritzen)|\\britze mich`,
          `\\b(?:will|möchte|mag) (?:einfach )?nicht mehr (?:leben|da sein|aufwachen|existieren|weiterleben)|\\bnicht mehr leben (?:will|möchte)`,
          `\\b(?:will|möchte) (?:einfach )?(?:sterben|tot sein)\\b|\\bwäre lieber tot|\\bwünschte,? ich wäre tot`,
          `\\bohne mich (?:wären|wäre|sind) (?:alle|sie|ihr|es) (?:besser|glücklicher)|\\bwären (?:ohne mich )?besser dran(?: ohne mich)?`,
          `\\blebensmüde|\\bkeinen sinn mehr (?:zu leben|im leben|weiterzumachen)|\\bdas leben hat keinen sinn|\\bhat alles keinen sinn mehr`,
          `\\b(?:schluss|ende) machen mit (?:allem|meinem leben|dem leben)`,
          `\\balle (?:meine )?(?:tabletten|pillen) (?:auf einmal )?(?:nehmen|schlucken)|\\babschiedsbrief|\\btödliche dosis|\\bwie viele\\b[^.?!\\n]{0,40}\\b(?:um zu sterben|tödlich)`,
          `\\bich kann nicht mehr\\s*(?:[.!]|$)`,
          `\\bwenn ich nicht mehr (?:da|hier|am leben) wäre|\\bpulsadern\\b`,
        ],
        "gm",
      ),
      suppressible: false,
    },
    {
      category: "emergency_stroke",
      pattern: folded(
        [
          `\\b(?:gesicht|mund|mundwinkel|lippe|gesichtshälfte) (?:\\w+ ){0,3}?(?:hängt|hängen|herab|schief|gelähmt|taub|verzogen)\\b|\\bhängende[rns]? (?:mundwinkel|gesicht)`,
          `\\b(?:spricht|spreche|sprache|rede|redet|reden|sprechen)\\b(?: \\w+){0,3}? (?:verwaschen|undeutlich|lallend|wirr|unverständlich|komisch|seltsam)\\b|\\blall(?:t|e|en)\\b`,
          `\\bkann (?:\\w+ )?(?:nicht mehr|kaum|nicht richtig|nicht deutlich|nicht mehr richtig) (?:sprechen|reden)\\b|\\bfinde[t]? (?:die |meine |seine |ihre )?worte nicht`,
          `\\b(?:linke[rns]?|rechte[rns]?|eine) (?:arm|bein|hand|seite|körperhälfte|gesichtshälfte)\\b(?: \\w+){0,5}? (?:taub|gelähmt|lahm|schlaff|kraftlos|gefühllos|schwach)\\b`,
          `\\bkann (?:meinen|den|seinen|ihren|meine|die|seine|ihre) (?:linken |rechten |linke |rechte )?(?:arm|bein|hand) nicht (?:mehr )?(?:heben|bewegen|spüren)`,
          `\\b(?:hat|habe|hab|bekommt|bekomme|kriegt) (?:gerade |wohl |vielleicht )?(?:einen |ein )?(?:schlaganfall|hirninfarkt|hirnschlag)|\\b(?:ist das|ist es|das ist|glaube,? (?:ich habe|er hat|sie hat|das ist)) (?:\\w+ )?(?:ein |einen )?(?:schlaganfall|hirninfarkt|hirnschlag)`,
          `\\bplötzlich\\b[^.?!\\n]{0,30}\\b(?:taub|gelähmt|lahm|verwirrt|doppelt|blind|nicht (?:mehr )?(?:richtig )?(?:sprechen|sehen|gehen|laufen))`,
          `\\bauf einem auge (?:nichts|blind|nicht mehr)|\\bschlimmsten? kopfschmerz\\w* meines lebens|\\bvernichtungskopfschmerz`,
        ],
        "g",
      ),
      suppressible: true,
    },
    {
      category: "emergency_fainting",
      pattern: folded(
        [
          `\\bohnmächtig|\\bin ohnmacht|\\bbewusstlos\\w*|\\bbewusstsein verloren|\\bumgekippt\\b|\\bzusammengebrochen\\b|\\bkollabiert\\b|\\bweggetreten`,
          `\\b(?:${SOMEONE}|er|sie)\\b[^.?!\\n]{0,25}\\b(?:reagiert nicht|wacht nicht (?:mehr )?auf|ist nicht (?:mehr )?ansprechbar)`,
          `\\bschwarz vor (?:den )?augen`,
        ],
        "g",
      ),
      suppressible: true,
    },
    {
      category: "emergency_overdose",
      pattern: folded(
        [
          `\\büberdosis|\\büberdosiert`,
          `\\b(?:die ganze|eine ganze|den ganzen|das ganze) \\w*(?:packung|schachtel|dose|flasche|blister|box|streifen|vorrat|spender|dosierer)\\w*[^.?!\\n]{0,40}?\\b(?:genommen|geschluckt|eingenommen|eingeworfen)`,
          `\\b(?:viele|zu viele|sehr viele|mehrere|eine hand ?voll|(?:[4-9]|\\d{2,})(?! ?(?:mg|ml|mcg|milligramm))|vier|fünf|sechs|sieben|acht|neun|zehn|zwanzig|dreißig)(?: (?:von )?(?:meinen|meine|seinen|seine|ihren|ihre|der|den|die))?(?: \\w+)? ${PILLS}[^.?!\\n]{0,30}?\\b(?:genommen|geschluckt|eingenommen|eingeworfen)`,
          `\\balle\\b[^.?!\\n]{0,30}\\bauf einmal\\b[^.?!\\n]{0,20}\\b(?:genommen|geschluckt)|\\bauf einmal\\b[^.?!\\n]{0,30}\\b(?:alle|viele|zu viele)\\b[^.?!\\n]{0,20}\\b(?:genommen|geschluckt)`,
          `\\b(?:dreifache|vierfache|zehnfache) (?:dosis|menge)|\\b(?:dreimal|viermal|zehnmal) so viel`,
          `\\b(?:kind|sohn|tochter|enkel|enkelin|baby|kleine[rn]?)\\b[^.?!\\n]{0,40}\\b(?:tabletten|pillen|medikamente|kapseln|${MEDICATION_NAME_SOURCE})\\b[^.?!\\n]{0,30}\\b(?:geschluckt|gegessen|genommen|erwischt)`,
        ],
        "g",
      ),
      suppressible: true,
    },
    {
      category: "emergency_seizure",
      pattern: folded(
        [`\\bkrampfanfall|\\bkrampft\\b|\\bepileptische[rn]? anfall|\\b(?:krämpfe|zuckt) am ganzen körper`],
        "g",
      ),
      suppressible: true,
    },
    {
      category: "emergency_bleeding",
      pattern: folded(
        [
          `\\bblutet\\b[^.?!\\n]{0,20}\\b(?:stark|sehr|ohne aufzuhören|hört nicht auf)|\\bstarke blutung|\\bhört nicht auf zu bluten`,
        ],
        "g",
      ),
      suppressible: true,
    },
    {
      category: "emergency_dying",
      pattern: folded([`\\bich (?:sterbe|glaube,? ich sterbe)\\b(?! vor)`], "g"),
      suppressible: true,
    },
    {
      category: "emergency_severe_pain",
      pattern: folded(
        [`\\b(?:unerträgliche|höllische|extreme|stärkste)[rn]? schmerzen|\\bschmerzen sind unerträglich`],
        "g",
      ),
      suppressible: true,
    },
  ],
  suppression: {
    negationBefore: folded([
      `\\b(?:kein|keine|keinen|keinem|keiner|nicht|nie|niemals|ohne)(?: (?:mehr|habe|hatte|gehabt|ich|einen|eine|irgendwelche|richtige|starke|die|der|den|so|wirklich|akut))* $`,
    ]),
    distantPast: folded([
      `\\b(?:vor (?:\\d+|einem|einer|zwei|drei|vier|fünf|vielen|einigen|mehreren|ein paar) (?:jahren?|monaten?|wochen)|letztes jahr|letzten (?:monat|sommer|winter|herbst|frühling)|letzte woche|als kind|als ich (?:jung|klein|ein kind) war|im jahr (?:19|20)\\d\\d)\\b`,
    ]),
    happeningNow: folded([
      `\\b(?:jetzt|gerade|wieder|heute|immer noch|noch immer|seit heute|momentan|aktuell|zurück)\\b`,
    ]),
  },
  advice: [
    {
      category: "medical_advice_change",
      pattern: folded([`${ASK}[^.?!\\n]{0,50}?${MED}[^.?!\\n]{0,40}?\\b${VERB_LAST}\\b`]),
    },
    // "kann ich sie eine Woche absetzen?" with the medication named elsewhere in the message
    {
      category: "medical_advice_change",
      pattern: folded([`${ASK} (?:sie|es|die|das|den|diese|dieses)\\b[^.?!\\n]{0,40}?\\b${VERB_LAST}\\b`]),
      needs: "medication",
    },
    {
      category: "medical_advice_change",
      pattern: folded([
        `\\b(?:ich (?:will|möchte|würde gern|überlege|denke darüber nach|plane)|ich habe vor)\\b[^.?!\\n]{0,40}?${MED}[^.?!\\n]{0,30}?\\b(?:absetzen|weglassen|abzusetzen|wegzulassen|pausieren|aufhören|halbieren|reduzieren|wechseln)`,
        `\\bwas (?:passiert|geschieht),? wenn ich\\b[^.?!\\n]{0,30}?${MED}[^.?!\\n]{0,30}?\\b(?:absetze|weglasse|auslasse|vergesse|verdopple|halbiere|nicht (?:mehr )?nehme)`,
        `\\b(?:vergessen|ausgelassen|nicht genommen)\\b[^?!\\n]{0,40}\\bwas (?:soll|muss) ich (?:jetzt )?(?:tun|machen)`,
        `${ASK}[^.?!\\n]{0,40}\\b(?:von )?${SOMEONE}\\b`,
      ]),
      needs: "medication",
    },
    {
      category: "medical_advice_dose",
      pattern: folded([
        `\\bwie (?:viel|viele) (?:\\w+ ){0,2}?(?:${MED}|davon|tabletten|milligramm)[^.?!\\n]{0,40}\\b(?:darf|kann|soll|sollte|muss) (?:ich|man)\\b`,
        `\\b(?:welche|die richtige|die maximale|die höchste|die übliche) dosis\\b|\\b(?:höchstdosis|maximaldosis|tageshöchstdosis)\\b`,
        `\\b(?:ist|sind) ${DOSE_AMOUNT_SOURCE}[^.?!\\n]{0,20}\\b(?:zu viel|zu wenig|zu hoch|zu niedrig|genug|in ordnung)`,
        `\\bdie (?:mit|zu) \\d+(?:[.,]\\d+)?(?: ?mg)? oder (?:die (?:mit|zu) )?\\d+`,
      ]),
    },
    {
      category: "medical_advice_change",
      pattern: folded([
        `${ASK}[^.?!\\n]{0,40}\\bohne (?:meine|mein|meinen|die|das|den)\\b[^.?!\\n]{0,15}${MED}`,
      ]),
    },
    {
      category: "medical_advice_dose",
      pattern: folded([
        `\\b(?:reicht|reichen|genügt|genügen)\\b[^.?!\\n]{0,30}${DOSE_AMOUNT_SOURCE}|${DOSE_AMOUNT_SOURCE}[^.?!\\n]{0,30}\\b(?:reicht|reichen|genug|zu wenig|zu viel)\\b`,
        `\\b(?:die|der|das) \\d+(?:[.,]\\d+)?[- ]?mg\\b[^.?!\\n]{0,25}\\boder\\b[^.?!\\n]{0,25}\\d+(?:[.,]\\d+)?[- ]?mg`,
      ]),
    },
    {
      category: "medical_advice_interaction",
      pattern: folded([
        `${ASK}[^.?!\\n]{0,60}?${MED}[^.?!\\n]{0,40}?\\b(?:trinken|essen|kombinieren|zusammen nehmen|gleichzeitig nehmen)\\b`,
        `${ASK}[^.?!\\n]{0,40}?\\b(?:essen|trinken|nehmen|einnehmen|kombinieren)\\b[^.?!\\n]{0,30}\\b(?:mit|zu|zusammen mit|während|wenn ich|obwohl ich|neben)\\b[^.?!\\n]{0,30}?${MED}`,
        `${ASK}[^.?!\\n]{0,50}?${MED}[^.?!\\n]{0,30}?\\b(?:mit|zusammen mit|neben)\\b[^.?!\\n]{0,30}?\\b(?:nehmen|einnehmen|kombinieren|trinken|essen)\\b`,
        `\\b(?:ist es|wäre es|ist das) (?:\\w+ )?(?:ok|okay|gefährlich|schlimm|sicher|in ordnung|unbedenklich|bedenklich|schädlich)\\b[^.?!\\n]{0,60}?${MED}`,
      ]),
    },
    {
      category: "medical_advice_interaction",
      pattern: folded([`\\b(?:wechselwirkung\\w*|verträgt sich|vertragen sich|verträglich mit)\\b`]),
      needs: "medication",
    },
    {
      category: "medical_advice_choice",
      pattern: folded([
        `\\bwelche[sr]? (?:\\w+ )?\\w*(?:medikament|tablette|mittel|senker|blocker|präparat|stärke)\\w*\\b[^.?!\\n]{0,30}\\b(?:soll|sollte|empfiehlst|empfehlen|ist besser|nehmen)`,
        `\\b(?:empfiehl|empfiehlst|empfehlen sie) (?:mir )?\\b[^.?!\\n]{0,30}${MED}`,
      ]),
    },
    {
      category: "medical_advice_diagnosis",
      pattern: folded([
        `(?:\\b(?:habe|hab|hätte) ich\\b|\\bbin ich\\b|\\bdass ich\\b|\\bdeute[nt] (?:das|meine werte|meine symptome|diese werte|meine messwerte) auf\\b|\\bspricht das für\\b|\\bkönnte (?:das|es)\\b|\\bist das\\b)[^.?!\\n]{0,30}${CONDITION}`,
        `\\bwelche (?:krankheit|erkrankung|diagnose)\\b[^.?!\\n]{0,40}\\b(?:habe|hab|deuten|hindeuten|spricht|sprechen|könnte)`,
        `\\bwas fehlt mir\\b|\\bwas habe ich\\s*\\?`,
      ]),
    },
  ],
  injection: [
    {
      category: "injection_override",
      pattern: folded([
        `\\b(?:ignoriere|ignorier|ignorieren sie|vergiss|vergessen sie|missachte|übergehe|überspringe|verwirf) (?:\\w+ ){0,4}?(?:anweisungen|regeln|vorgaben|richtlinien|einschränkungen|instruktionen|befehle|sicherheitsregeln|filter)\\b`,
        `\\b(?:deaktiviere|schalte|entferne|umgehe)\\b[^.?!\\n]{0,30}\\b(?:filter|sicherheitsfilter|einschränkungen|sicherheitsregeln|zensur)\\b`,
        `\\bneue (?:anweisungen|regeln) ?:`,
      ]),
    },
    {
      category: "injection_reveal",
      pattern: folded([
        `\\b(?:zeig|zeige|nenn|nenne|verrate|gib|wiederhole|drucke|kopiere|schreib|schreibe|sag|sage|liste|lies)\\b(?: \\w+){0,4}? (?:(?:dein|deine|deinen|ihren|ihre) (?:systemprompt|prompt|anweisungen|instruktionen|regeln|vorgaben|konfiguration|einstellungen|werkzeuge|tools|funktionen)|(?:den )?system-?prompt|(?:die )?(?:versteckten|geheimen|internen|ursprünglichen|ersten) (?:anweisungen|regeln|vorgaben|instruktionen)|api-?(?:schlüssel|key)s?|passw(?:ö|o)rt(?:er)?|zugangsdaten|umgebungsvariablen|geheimnisse|konfiguration (?:des|der) (?:servers?|systems|datenbank))\\b`,
        `\\bwelche (?:anweisungen|regeln|vorgaben) (?:hast du|wurden dir|hat man dir)|\\bsystem-?prompt\\b`,
      ]),
    },
    {
      category: "injection_roleplay",
      pattern: folded([
        `\\b(?:tu so|tun sie so|stell dir vor|stellen sie sich vor|spiel|spiele|spielen sie|verhalte dich)\\b[^.?!\\n]{0,30}\\b(?:als ob du|als wärst du|du bist|du wärst|die rolle|als|wie) (?:\\w+ ){0,2}?(?:\\w*(?:arzt|ärztin|doktor|kardiolog|apotheker)\\w*|dan|ki ohne \\w+|assistent ohne \\w+)\\b`,
        `\\bsei (?:ab jetzt )?mein (?:arzt|doktor|kardiologe)\\b`,
        `\\b(?:als (?:hättest|hätten) (?:du|sie)|als ob (?:du|sie)) keine (?:regeln|einschränkungen|grenzen|filter|vorgaben)`,
        `\\b(?:entwicklermodus|developer-?modus|gott-?modus|dan-?modus)\\b|\\bab (?:jetzt|sofort) (?:bist du|wirst du|antwortest du)\\b`,
      ]),
    },
    {
      // A pretext ("ich bin der Entwickler", "für einen Sicherheitstest") with a secret or an internal.
      category: "injection_reveal",
      pattern: folded([
        `\\b(?:ich bin|wir sind) (?:der |die |ein |eine )?(?:entwickler\\w*|admin\\w*|systemadministrator\\w*|prüfer\\w*|auditor\\w*|sicherheitsforscher\\w*|tester\\w*)|\\bfür (?:einen|ein|eine) (?:sicherheitstest|audit|test|prüfung)\\b|\\bzum debuggen\\b`,
      ]),
      alsoNeeds: folded([
        `api-?(?:schlüssel|key)|passw|zugangsdaten|umgebungsvariablen|konfiguration|systemprompt|anweisungen|andere[rn]? (?:nutzer|benutzer)`,
      ]),
    },
    {
      category: "injection_reveal",
      pattern: folded([
        `\\bwelche (?:tools|werkzeuge|funktionen|plugins) (?:du|sie) (?:\\w+ )?(?:hast|haben|benutzt|benutzen|verwendest|verwenden|nutzt|nutzen|aufrufen|kannst)`,
        `\\b(?:deine|ihre) (?:ursprünglichen|versteckten|geheimen|internen|ersten) (?:anweisungen|regeln|vorgaben|instruktionen)\\b|\\bsystem-?anweisungen\\b`,
      ]),
    },
    {
      category: "injection_encoded",
      pattern: folded([
        `\\b(?:dekodiere|entschlüssele|entschlüssle|übersetze|wandle)\\b[^.?!\\n]{0,60}\\b(?:base ?64|rot-?13|hex\\w*|binär\\w*|verschlüsselt\\w*|kodiert\\w*)`,
      ]),
      alsoNeeds: folded([`\\b(?:führe|befolge|folge|mach|tu|ausführen|anweisung\\w*)\\b`]),
    },
    {
      category: "injection_roleplay",
      pattern: folded([`\\bohne (?:einschränkungen|filter|regeln|zensur|grenzen)\\b`]),
      alsoNeeds: folded([`\\b(?:antworte|antworten|du|ki|assistent|modell)\\b`]),
    },
    {
      category: "injection_privilege",
      pattern: folded([
        `\\b(?:daten|werte|messwerte|verlauf|nachrichten|e-?mails|informationen)\\b[^.?!\\n]{0,15}\\b(?:anderer|aller|anderen|allen) (?:nutzer|benutzer|patienten|nutzern|benutzern)\\b`,
        `\\b(?:hinweis|nachricht|notiz|anweisung) (?:an|für) (?:den |die |das )?(?:assistenten|ki|modell|bot|system)\\b`,
      ]),
    },
  ],
  answer: {
    redirect: folded([
      `\\b(?:arzt|ärztin|hausarzt|hausärztin|apotheker\\w*|kardiolog\\w*|fachar\\w*)\\b[^\\n]*\\b(?:sprech\\w*|frag\\w*|besprech\\w*|klär\\w*|wend\\w*|rücksprache|konsultier\\w*|entscheid\\w*)|\\b(?:sprech\\w*|frag\\w*|besprech\\w*|klär\\w*|wend\\w*|rücksprache|konsultier\\w*|entscheid\\w*)\\b[^\\n]*\\b(?:arzt|ärztin|hausarzt|apotheker\\w*|kardiolog\\w*)`,
    ]),
    prescription: folded([
      `(?:^|, )(?:bitte )?(?:nehmen sie|nimm)\\b[^.?!\\n]{0,40}\\b(?:abends|morgens|zur nacht|vor dem schlafen\\w*|statt|stattdessen|zwei|doppelte|eine zusätzliche|extra)`,
      `(?:^|, )(?:bitte )?(?:teilen sie|teile|halbieren sie|halbiere|brechen sie|brich)\\b[^.?!\\n]{0,30}\\b(?:tablette|pille|hälfte|halb|sie|zwei)`,
      `\\b(?:setzen sie|setz|setze)\\b[^.?!\\n]{0,30}?${MED}[^.?!\\n]{0,20}\\bab\\b|\\b(?:lassen sie|lass)\\b[^.?!\\n]{0,40}?${MED}[^.?!\\n]{0,40}\\b(?:weg|aus)\\b`,
      `(?:^|, )(?:bitte )?(?:verdoppeln sie|verdopple|erhöhen sie|erhöhe|reduzieren sie|reduziere|wechseln sie|wechsle)\\b`,
      `\\b(?:sie sollten|du solltest|sie können|du kannst|ich empfehle(?: ihnen| dir)?|am besten)\\b[^.?!\\n]{0,40}?${MED}[^.?!\\n]{0,30}?\\b(?:nehmen|einnehmen|absetzen|weglassen|halbieren|teilen|verdoppeln|erhöhen|reduzieren|auslassen)\\b`,
    ]),
    dosage: folded([
      `\\bdie (?:übliche|normale|empfohlene|maximale|richtige) dosis\\b[^.?!\\n]{0,30}\\b(?:ist|beträgt|liegt)`,
      `^(?:bitte )?(?:nehmen sie|nimm)\\b[^.?!\\n]{0,20}${DOSE_AMOUNT_SOURCE}`,
    ]),
    diagnosis: folded([
      `\\b(?:sie haben|du hast|sie leiden (?:an|unter)|du leidest (?:an|unter))(?: \\w+)? ${CONDITION}`,
      `\\b(?:das|dies|es|ihre werte|deine werte|ihre symptome|deine symptome|was sie beschreiben,?|was du beschreibst,?) (?:ist|sind|(?:deutet|deuten) (?:\\w+ )?auf|(?:spricht|sprechen) (?:\\w+ )?für|(?:klingt|klingen) (?:\\w+ )?nach) (?:eindeutig |wahrscheinlich |klar |sicher )?(?:ein |eine |einen |einer )?${CONDITION}`,
      `\\b(?:sie sind|du bist) (?:ein |eine )?hypertoniker`,
    ]),
  },
};
