// French: Layer 1's emergency, medical-advice and injection rules and Layer 3's answer patterns.
// Written in French spelling ("œ" as "oe", which is how the text is folded); `folded` drops the
// accents. The same decisions as the English rules. Elision glues an article to the next word
// ("l'amlodipine", "d'ibuprofène"), so a medication may follow a space, "l'" or "d'".

import {
  DOSE_AMOUNT_SOURCE,
  MEDICATION_ANY_LANGUAGE_SOURCE,
  MEDICATION_NAME_SOURCE,
} from "../medication-terms";
import { folded, type LanguagePack } from "./rule-types";

const MED = `${MEDICATION_ANY_LANGUAGE_SOURCE}(?! (?:rappels?|alarmes?|notifications?|journal|historique)\\b)`;
const PILLS = `(?:comprimés|cachets|pilules|gélules|médicaments|${MEDICATION_NAME_SOURCE})`;
/** Words allowed between a verb and its medication ("arrêter de prendre mon traitement"). */
const FILL = `(?: (?:le|la|les|mon|ma|mes|son|sa|ses|ton|ta|tes|un|une|deux|demi|moitié|de|du|des|prendre|ce|cette|ces|tous|toutes|contre|pour|la tension|tension|coeur|cholestérol|matin|soir))*`;
const BEFORE_MED = `(?: | l'| d'| qu')`;
const ASK = `(?:\\b(?:je peux|puis-je|est-ce que je (?:peux|dois|devrais|pourrais)|je dois|dois-je|devrais-je|je devrais|je pourrais|pourrais-je|faut-il|il faut|ai-je le droit de|vaut-il mieux|il vaudrait mieux|on peut|peut-on)|\\b(?:c'est|est-ce|est-il) (?:grave|dangereux|risqué|mauvais|possible|bien|ok|normal|sans danger|prudent|raisonnable|préférable|mieux|conseillé|recommandé) (?:de|d'))(?: (?:vraiment|simplement|juste|déjà|aussi|encore))*`;
const VERB = `(?:arrêter|stopper|suspendre|interrompre|faire une pause (?:de|dans)|sauter|oublier|prendre|commencer|changer(?: de)?|passer (?:à|au)|augmenter|diminuer|baisser|réduire|doubler|couper|casser|diviser|écraser|croquer|mélanger|associer|combiner|utiliser|emprunter|partager|reprendre|continuer)`;
const SOMEONE = `(?:de mon|de ma|du|de la) (?:mari|femme|conjoint|conjointe|compagnon|compagne|mère|père|frère|soeur|ami|amie|voisin|voisine|fils|fille|grand-mère|grand-père|copain|copine)`;
const CONDITION = `(?:hypertension|hypotension|fibrillation (?:auriculaire|atriale)|arythmie|insuffisance cardiaque|diabète|prédiabète|apnée du sommeil|maladie (?:cardiaque|coronarienne|rénale|du coeur)|cardiopathie|tachycardie|bradycardie|hypertendu\\w*|(?:un )?problème (?:cardiaque|au coeur|de coeur)|quelque chose de grave|une maladie)`;

export const FRENCH: LanguagePack = {
  language: "fr",
  emergency: [
    {
      category: "emergency_chest_pain",
      pattern: folded(
        [
          `\\bdouleurs? (?:\\w+ ){0,3}?(?:à la|dans la|de la|au niveau de la|sur la|en pleine) poitrine\\b|\\bdouleurs? thoracique`,
          `\\bmal (?:\\w+ )?(?:à la|dans la) poitrine`,
          `\\b(?:me|lui) (?:serre|brûle|écrase|comprime|oppresse|fait mal à|fait très mal à) (?:la|sa) poitrine`,
          `\\b(?:descend|irradie|remonte|part)\\w*\\b[^.?!\\n]{0,10}\\b(?:dans le|dans la|vers le|vers la|jusqu'au|jusqu'à la) (?:bras|mâchoire)\\b`,
          `\\b(?:oppression|serrement|pression|poids|brûlure|barre|étau|point) (?:\\w+ ){0,2}?(?:à la|dans la|sur la|de la|en travers de la|sur ma) poitrine`,
          `\\bpoitrine (?:\\w+ ){0,2}?(?:serrée|me serre|comprimée|oppressée|en feu|me brûle|me fait mal|fait mal)|\\bma poitrine (?:se )?serre`,
          `\\bdouleur\\w*\\b[^.?!\\n]{0,30}\\b(?:descend\\w*|irradi\\w*|remonte\\w*|part\\w*|va) (?:\\w+ ){0,2}?(?:dans le|dans la|vers le|vers la|jusqu'au|jusqu'à la) (?:bras|mâchoire|cou|épaule|dos)`,
          `\\b(?:je fais|je fait|il fait|elle fait|en train de faire|est-ce que c'est|est-ce|c'est|ce serait|je crois que je fais|je pense que je fais)\\b[^.?!\\n]{0,15}\\b(?:un infarctus|une crise cardiaque|une attaque cardiaque)`,
        ],
        "g",
      ),
      suppressible: true,
    },
    {
      category: "emergency_breathing",
      pattern: folded(
        [
          `\\b(?:n'arrive|arrive|peux|peut|parviens|parvient) (?:plus|pas|presque plus|quasiment plus) (?:\\w+ )?(?:à )?respirer`,
          `\\b(?:du mal|de la peine|des difficultés|difficulté|peine) à respirer|\\bj'étouffe|\\b(?:il|elle) étouffe|\\bje suffoque|\\bsuffoqu\\w*`,
          `\\bne respire (?:plus|pas)|\\ba arrêté de respirer`,
          `\\bgorge (?:qui )?(?:se )?(?:serre|ferme|gonfle)|\\blèvres (?:bleues|violettes)|\\banaphyla\\w*|\\boedème de quincke`,
        ],
        "g",
      ),
      suppressible: true,
    },
    {
      // Breathlessness after exercise is common: it counts with a sign it is sudden or severe.
      category: "emergency_breathing",
      pattern: folded([`\\bessouffl\\w*|\\bsouffle court|\\bmanque d'air|\\bmanque de souffle`], "g"),
      suppressible: true,
      cue: folded(
        [
          `\\b(?:soudain\\w*|brutal\\w*|très|au repos|allongé\\w*|assis\\w*|maintenant|poitrine|malaise|vertige\\w*|lèvres|pire|panique|aide)\\b`,
        ],
        "g",
      ),
    },
    {
      category: "emergency_self_harm",
      pattern: folded(
        [
          `\\bsuicid\\w*|\\bme tuer\\b|\\bmettre fin à (?:mes jours|ma vie)`,
          `\\b(?:veux |vais |envie d'|pense à )en finir\\s*(?:[.!,]|$)|\\ben finir avec (?:la vie|tout|ma vie)\\b`,
          `\\b(?:ne )?veux plus vivre|\\bplus envie de vivre|\\b(?:envie de|veux|voudrais|aimerais) mourir\\b`,
          `\\bme faire du mal|\\bme mutiler|\\bme scarifier|\\bautomutil\\w*|\\bme couper les veines`,
          `\\b(?:seraient|serait|serez|seront|serais) mieux sans moi|\\bmieux (?:mort|morte)\\b`,
          `\\bla vie n'a plus (?:de|aucun) sens|\\bne vaut plus la peine d'être vécue|\\bplus aucune raison de vivre`,
          `\\b(?:ne plus|ne jamais|ne pas) me réveiller`,
          `\\bprendre tous mes (?:médicaments|comprimés|cachets)|\\blettre d'adieu|\\bdose (?:mortelle|létale)|\\bcombien\\b[^.?!\\n]{0,40}\\bpour (?:mourir|me tuer)`,
          `\\bje n'en peux plus\\s*(?:[.!]|$)|\\bje ne peux plus continuer\\b|\\bdisparaître pour toujours`,
        ],
        "gm",
      ),
      suppressible: false,
    },
    {
      category: "emergency_stroke",
      pattern: folded(
        [
          `\\b(?:visage|bouche|lèvre|sourire|joue|paupière) (?:\\w+ ){0,3}?(?:tombe|tombante|affaiss\\w*|paralys\\w*|de travers|engourdi\\w*|déformé\\w*|tordu\\w*|pend)\\b`,
          `\\b(?:il|elle|je) (?:parle|articule) (?:très |trop )?(?:bizarrement|difficilement|de façon confuse|n'importe comment)|\\b(?:il|elle) (?:parle|articule) (?:très )?mal\\b(?! (?:anglais|français|espagnol|allemand|l'|le|la))`,
          `\\b(?:ne )?(?:trouve|trouvait) plus (?:mes|ses) mots|\\bparole (?:\\w+ )?(?:confuse|pâteuse|difficile|incompréhensible)|\\bn'arrive plus à (?:parler|articuler)|\\bne (?:peut|peux) plus parler`,
          `\\b(?:un côté|côté (?:gauche|droit)|la moitié|une moitié|moitié du corps|hémicorps)(?: du corps| du visage)? (?:\\w+ ){0,2}?(?:engourdi\\w*|paralys\\w*|faible|lourd\\w*|insensible|ne répond plus|ne bouge plus)`,
          `\\b(?:ne (?:peux|peut) plus|n'arrive plus à|n'arrive pas à) (?:lever|bouger|sentir) (?:mon|son|le|la|ma|sa) (?:bras|jambe|main|côté)`,
          `\\b(?:bras|jambe|main) (?:gauche|droit|droite) (?:\\w+ ){0,2}?(?:engourdi\\w*|paralys\\w*|faible|lourd\\w*|insensible|ne répond plus)`,
          `\\b(?:je fais|il fait|elle fait|en train de faire|est-ce|c'est|ce serait|je crois que c'est|fait peut-être)\\b[^.?!\\n]{0,15}\\b(?:un avc|une attaque cérébrale|un accident vasculaire)`,
          `\\b(?:soudain\\w*|brutalement|tout à coup|d'un coup)\\b[^.?!\\n]{0,30}\\b(?:engourdi\\w*|paralys\\w*|confus\\w*|vois double|vision trouble|ne (?:peux|peut) plus (?:parler|voir|marcher))`,
          `\\bne vois plus (?:rien )?d'un oeil|\\bpire mal de tête de ma vie|\\bmal de tête (?:brutal|soudain|en coup de tonnerre)`,
        ],
        "g",
      ),
      suppressible: true,
    },
    {
      category: "emergency_fainting",
      pattern: folded(
        [
          `\\bévanou\\w*|\\bperdu connaissance|\\bperte de connaissance|\\binconscient\\w*|\\btomb\\w* dans les pommes`,
          `\\b(?:fait|fais|faire) un malaise|\\bs'est effondré\\w*|\\bje m'effondre`,
          `\\b(?:il|elle|mon (?:mari|père|fils|frère|ami|voisin)|ma (?:femme|mère|fille|soeur|amie|voisine))\\b[^.?!\\n]{0,25}\\bne (?:répond|réagit|se réveille) (?:plus|pas)\\b`,
        ],
        "g",
      ),
      suppressible: true,
    },
    {
      category: "emergency_overdose",
      pattern: folded(
        [
          `\\bsurdos\\w*`,
          `\\b(?:pris|avalé|ingéré|gobé)\\b[^.?!\\n]{0,30}?\\b(?:toute la boîte|la boîte entière|une boîte entière|toute une boîte|toute la plaquette|la plaquette entière|une plaquette entière|tout le pilulier|le pilulier entier|tout le flacon|le flacon entier|ceux de toute la semaine)`,
          `\\b(?:pris|avalé|ingéré|gobé)\\b[^.?!\\n]{0,20}?\\b(?:plein de|beaucoup de|trop de|plusieurs|une poignée de|une dizaine de|une vingtaine de|(?:[4-9]|\\d{2,})(?! ?(?:mg|ml|mcg|milligrammes))|quatre|cinq|six|sept|huit|neuf|dix|vingt) (?:\\w+ )?${PILLS}`,
          `\\b(?:pris|avalé)\\b[^.?!\\n]{0,30}\\b(?:tous|toutes|tout)\\b[^.?!\\n]{0,30}\\b(?:d'un coup|d'un seul coup|en une (?:seule )?fois)`,
          `\\b(?:triple|quadruple) dose|\\bdose triple|\\b(?:trois|quatre|dix) fois (?:la|ma|sa) dose`,
          `\\b(?:enfant|fils|fille|bébé|petit-fils|petite-fille|petit|petite)\\b[^.?!\\n]{0,30}\\b(?:a avalé|avalé|a mangé|a pris|a croqué)\\b[^.?!\\n]{0,40}?\\b(?:comprimés?|cachets?|pilules?|médicaments?|gélules?|${MEDICATION_NAME_SOURCE})`,
        ],
        "g",
      ),
      suppressible: true,
    },
    {
      category: "emergency_seizure",
      pattern: folded([`\\bconvuls\\w*|\\bcrise d'épilepsie|\\bcrise épileptique`], "g"),
      suppressible: true,
    },
    {
      category: "emergency_bleeding",
      pattern: folded(
        [
          `\\bsaign\\w*\\b[^.?!\\n]{0,20}\\b(?:beaucoup|énormément|abondamment|sans arrêt|ne s'arrête pas)|\\bhémorragie (?:importante|grave|abondante)`,
        ],
        "g",
      ),
      suppressible: true,
    },
    {
      category: "emergency_dying",
      pattern: folded(
        [
          `\\bje (?:suis en train de mourir|vais mourir|meurs)\\b(?! de (?:faim|rire|soif|froid|chaud|fatigue|honte|peur|envie|ennui))`,
        ],
        "g",
      ),
      suppressible: true,
    },
    {
      category: "emergency_severe_pain",
      pattern: folded(
        [`\\bdouleurs? (?:insupportables?|atroces?|intolérables?)|\\bpire douleur de ma vie`],
        "g",
      ),
      suppressible: true,
    },
  ],
  suppression: {
    negationBefore: folded([
      `\\b(?:pas|plus|jamais|aucun|aucune|sans|ni|non)(?: (?:de|du|des|la|le|les|une|un|vraiment|eu|ai|encore|mal))*(?: d')? ?$`,
    ]),
    distantPast: folded([
      `\\b(?:il y a (?:\\d+|un|une|deux|trois|quatre|cinq|plusieurs|quelques|des) (?:ans?|années?|mois|semaines)|l'année dernière|l'an dernier|le mois dernier|la semaine dernière|quand j'étais (?:petit|petite|enfant|jeune)|en (?:19|20)\\d\\d)\\b`,
    ]),
    happeningNow: folded([
      `\\b(?:maintenant|encore|de nouveau|à nouveau|aujourd'hui|ce (?:matin|soir)|cet après-midi|revenu\\w*|toujours|en ce moment|actuellement)\\b`,
    ]),
  },
  advice: [
    { category: "medical_advice_change", pattern: folded([`${ASK} ${VERB}${FILL}${BEFORE_MED}${MED}`]) },
    // "puis-je les couper en deux ?" with the medication named elsewhere in the message
    {
      category: "medical_advice_change",
      pattern: folded([
        `${ASK} (?:l'|le |la |les )(?:arrêter|stopper|suspendre|sauter|prendre|couper|casser|diviser|écraser|doubler|augmenter|diminuer|réduire|changer|mélanger|emprunter)\\b`,
      ]),
      needs: "medication",
    },
    {
      category: "medical_advice_change",
      pattern: folded([
        `\\b(?:je veux|je voudrais|j'aimerais|je pense|j'envisage de|je compte|j'ai décidé d'|je vais) (?:\\w+ )?${VERB}${FILL}${BEFORE_MED}${MED}`,
        `\\b(?:que se passe-t-il|qu'est-ce qui se passe|qu'arrive-t-il) si (?:j'arrête|je saute|j'oublie|je prends|je double|je coupe|je diminue|j'augmente|je change|j'associe|je mélange)${FILL}${BEFORE_MED}${MED}`,
        `\\b(?:oublié|sauté)${FILL}${BEFORE_MED}${MED}[^?!\\n]{0,60}?\\b(?:que dois-je faire|qu'est-ce que je fais|je fais quoi)`,
      ]),
    },
    {
      category: "medical_advice_change",
      pattern: folded([
        `\\b(?:prendre|utiliser|emprunter|essayer)\\b[^.?!\\n]{0,30}\\b(?:les|le|la|ceux|celles|celui|celle) (?:\\w+ )?${SOMEONE}\\b`,
      ]),
      needs: "medication",
    },
    {
      category: "medical_advice_change",
      pattern: folded([
        `${ASK}[^.?!\\n]{0,30}\\bsans (?:mes|mon|ma|le|la|les)\\b[^.?!\\n]{0,15}${MED}`,
        `\\b(?:sauter|oublier|rater|manquer) (?:une|la|ma) prise\\b(?! de (?:tension|sang))`,
        `\\b(?:faut-il que je|dois-je|est-ce que je dois|je dois) (?:\\w+ ){0,2}?(?:continu\\w*|garder|rester sous)${FILL}${BEFORE_MED}${MED}`,
      ]),
    },
    {
      category: "medical_advice_dose",
      pattern: folded([
        `\\bcombien (?:de |d')?(?:\\w+ ){0,2}?(?:puis-je|je peux|dois-je|je dois|faut-il|peut-on|on peut) (?:en )?(?:prendre|avaler|associer|ajouter)`,
        `\\b(?:quelle|la bonne) (?:dose|posologie)\\b|\\bdose maximale\\b`,
        `${DOSE_AMOUNT_SOURCE}[^.?!\\n]{0,30}\\b(?:c'est|est) (?:trop|assez|beaucoup|peu)\\b|\\b(?:c'est|est-ce) (?:trop|assez)\\b[^.?!\\n]{0,20}${DOSE_AMOUNT_SOURCE}`,
        `\\b(?:le|la|celui|celle) (?:de|à) \\d+(?:[.,]\\d+)?(?: ?mg)? ou (?:le|la|celui|celle) (?:de|à) \\d+`,
      ]),
      needs: "medication",
    },
    {
      category: "medical_advice_interaction",
      pattern: folded([
        `${ASK} (?:\\w+ ){0,2}?(?:prendre|boire|manger|mélanger|associer|combiner)\\b[^.?!\\n]{0,40}?\\b(?:avec|en même temps que|pendant|en plus de|et)${FILL}${BEFORE_MED}${MED}`,
      ]),
    },
    {
      category: "medical_advice_interaction",
      pattern: folded([
        `\\b(?:interaction\\w*|interagi\\w*|compatibles?|contre-indiqu\\w*|faire bon ménage)\\b`,
        `\\b(?:pamplemousse|alcool|bière|vin|café|réglisse|millepertuis|ibuprofène|aspirine|doliprane|paracétamol|anti-inflammatoires?)\\b[^.?!\\n]{0,40}\\b(?:pose (?:un )?problème|est dangereux|est mauvais|est déconseillé|fait quelque chose)\\b`,
      ]),
      needs: "medication",
    },
    {
      category: "medical_advice_choice",
      pattern: folded([
        `\\b(?:quel|quelle)s? (?:\\w+ ){0,2}?(?:médicament|traitement|comprimé|molécule|bêtabloquant|antihypertenseur|dosage)\\b[^.?!\\n]{0,30}\\b(?:me conseillez|me conseilles|recommandez|recommandes|dois-je|devrais-je|faut-il|est le meilleur|est mieux|prendre)`,
        `\\b(?:conseille|recommande|conseillez|recommandez)-moi\\b[^.?!\\n]{0,30}${MED}`,
      ]),
    },
    {
      category: "medical_advice_diagnosis",
      pattern: folded([
        `(?:\\best-ce que (?:j'ai|je fais|je suis|c'est|ça veut dire que j'ai|cela veut dire que j'ai|mes \\w+ (?:veulent dire|indiquent|signifient))|\\bai-je\\b|\\bsuis-je\\b|\\b(?:veu(?:t|lent) dire|signifie(?:nt)?|indique(?:nt)?) que (?:j'ai|je suis|je fais)\\b|\\best-ce (?:une?|de l'|de la|du)\\b|\\bpourrait-il s'agir d|\\bs'agit-il d|\\bj'ai peut-être)[^.?!\\n]{0,30}${CONDITION}`,
        `\\b(?:quelle|de quelle) (?:maladie|pathologie|affection|condition|diagnostic)\\b[^.?!\\n]{0,40}\\b(?:ai-je|j'ai|souffre|indiquent|évoquent|orientent|pourrait|correspond\\w*)`,
        `\\bqu'est-ce que j'ai\\s*\\?`,
      ]),
    },
  ],
  injection: [
    {
      category: "injection_override",
      pattern: folded([
        `\\b(?:ignore|ignorez|oublie|oubliez|ne tiens pas compte|ne tenez pas compte|fais abstraction|faites abstraction|passe outre|outrepasse)\\b(?: \\w+){0,4}? (?:des |les |tes |vos |toutes |tous )?(?:instructions|consignes|règles|directives|restrictions|limites|filtres|garde-fous)\\b`,
        `\\b(?:désactive|désactivez|supprime|supprimez|enlève|enlevez|contourne|contournez)\\b[^.?!\\n]{0,30}\\b(?:filtres?|restrictions|règles de sécurité|sécurité|garde-fous|censure)`,
        `\\bnouvelles (?:instructions|consignes|règles) ?:`,
      ]),
    },
    {
      category: "injection_reveal",
      pattern: folded([
        `\\b(?:montre|montrez|affiche|affichez|donne|donnez|révèle|révélez|répète|répétez|recopie|recopiez|écris|écrivez|dis|dites|liste|listez|lis|lisez|récite|récitez|partage|partagez|traduis|traduisez|résume|résumez)(?:-moi|-nous)?\\b(?: \\w+){0,4}? (?:(?:tes|vos) (?:instructions|consignes|règles|directives|outils|fonctions)|ton prompt|votre prompt|(?:le )?prompt(?: système)?|(?:les |des )?instructions (?:système|cachées|internes|initiales|d'origine|secrètes)|(?:le )?message système|(?:ta|votre) configuration|la configuration (?:interne|du système|du serveur)|(?:les |des )?clés? (?:d'api|api|secrètes?)|api ?keys?|mots? de passe|secrets?|variables d'environnement|jetons? d'accès)\\b`,
        `\\bquelles (?:instructions|consignes|règles) (?:t'a-t-on|vous a-t-on|as-tu|avez-vous) (?:données|reçues)`,
      ]),
    },
    {
      category: "injection_roleplay",
      pattern: folded([
        `\\b(?:fais comme si|faites comme si|imagine que|imaginez que|joue le rôle|jouez le rôle|fais semblant|faites semblant|sois|soyez|agis comme|agissez comme|comporte-toi comme)\\b[^.?!\\n]{0,30}\\b(?:médecin|docteur|cardiologue|pharmacien|dan|une ia sans \\w+|un assistant sans \\w+)\\b`,
        `\\bmode (?:développeur|dieu|sans restriction\\w*|sans filtre\\w*|dan)\\b|\\bà partir de maintenant,? tu (?:es|seras|réponds|vas)\\b`,
      ]),
    },
    {
      // A pretext ("je suis développeur", "pour un audit") with a secret or an internal.
      category: "injection_reveal",
      pattern: folded([
        `\\b(?:je suis|nous sommes) (?:le |la |un |une |l')?(?:développeu\\w*|administrat\\w*|ingénieu\\w*|auditeu\\w*|testeu\\w*|responsable (?:de la )?sécurité)|\\bpour (?:un|une) (?:audit|test|débogage)\\b|\\bpour déboguer\\b`,
      ]),
      alsoNeeds: folded([
        `\\b(?:clés?|mots? de passe|variables d'environnement|configuration|prompt|instructions|consignes|autres utilisateurs|identifiants)\\b`,
      ]),
    },
    {
      category: "injection_reveal",
      pattern: folded([
        `\\b(?:instructions|consignes|règles|directives) (?:système|cachées|internes|initiales|d'origine|secrètes)\\b`,
        `\\bmot de passe (?:de la base|du serveur|admin\\w*|du système)`,
      ]),
    },
    {
      category: "injection_roleplay",
      pattern: folded([`\\btu es (?:maintenant )?(?:dan|une ia sans \\w+|un assistant sans \\w+)\\b`]),
    },
    {
      category: "injection_fake_role",
      pattern: folded([`\\[(?:système|développeur)\\]|^ ?(?:système|développeur) ?:`], "m"),
    },
    {
      category: "injection_encoded",
      pattern: folded([
        `\\b(?:décode|décoder|déchiffre|traduis|convertis)\\b[^.?!\\n]{0,60}\\b(?:base ?64|rot-?13|hex\\w*|binaire|chiffré\\w*|encodé\\w*)`,
      ]),
      alsoNeeds: folded([
        `\\b(?:exécute\\w*|suis|obéis|applique\\w*|fais ce qu|instructions?|consignes?)\\b`,
      ]),
    },
    {
      category: "injection_roleplay",
      pattern: folded([`\\bsans (?:aucune? )?(?:restrictions?|filtres?|censure|règles|limites)\\b`]),
      alsoNeeds: folded([`\\b(?:réponds|répondez|tu|ia|assistant|modèle)\\b`]),
    },
    {
      category: "injection_privilege",
      pattern: folded([
        `\\b(?:données|mesures|relevés|historique|messages|e-?mails|informations|dossiers) (?:de tous les|des autres|d'autres|de n'importe quel|d'un autre) (?:utilisateurs?|patients?|comptes?)`,
        `\\b(?:note|message|instruction|consigne) (?:à|pour) (?:l'assistant|l'ia|le modèle|le bot|le système)\\b`,
      ]),
    },
  ],
  answer: {
    redirect: folded([
      `\\b(?:médecin|docteur|pharmacien\\w*|cardiologue|spécialiste|généraliste|infirmi\\w*)\\b[^\\n]*\\b(?:parle\\w*|demande\\w*|consult\\w*|voy\\w*|discut\\w*|voir|vérifi\\w*|décid\\w*|contact\\w*)|\\b(?:parle\\w*|demande\\w*|consult\\w*|discut\\w*|vérifi\\w*|décid\\w*|contact\\w*)\\b[^\\n]*\\b(?:médecin|docteur|pharmacien\\w*|cardiologue|spécialiste|généraliste)`,
    ]),
    prescription: folded([
      `(?:^|, )(?:s'il vous plaît,? )?(?:prenez|prends)(?:-le|-la|-les|-en)?\\b[^.?!\\n]{0,40}\\b(?:le soir|le matin|au coucher|avant de (?:dormir|vous coucher|te coucher)|plutôt|à la place|au lieu|deux|double|supplémentaire|en plus)`,
      `(?:^|, )(?:coupez|coupe|cassez|casse|divisez|divise)(?:-le|-la|-les)?\\b[^.?!\\n]{0,30}\\b(?:moitié|deux|morceaux)`,
      `(?:^|, )(?:arrêtez|arrête|suspendez|suspends|sautez|saute|ne prenez pas|ne prends pas|doublez|double|augmentez|augmente|diminuez|diminue|réduisez|réduis|passez à|passe à)\\b`,
      `\\b(?:vous devriez|tu devrais|vous pouvez|tu peux|je vous conseille de|je te conseille de|je vous recommande de|je te recommande de|il vaut mieux)\\b (?:\\w+ )?${VERB}${FILL}${BEFORE_MED}${MED}`,
      `\\b(?:vous pouvez|tu peux|vous devriez|tu devrais)\\b (?:\\w+ )?(?:sauter|supprimer|oublier)\\b[^.?!\\n]{0,20}\\b(?:la|une|les) prises?\\b`,
    ]),
    dosage: folded([
      `\\bla (?:dose|posologie) (?:habituelle|normale|recommandée|maximale|usuelle)\\b[^.?!\\n]{0,30}\\b(?:est|serait)`,
      `^(?:prenez|prends)\\b[^.?!\\n]{0,20}${DOSE_AMOUNT_SOURCE}`,
    ]),
    diagnosis: folded([
      `(?<!\\bsi )\\b(?:vous avez|tu as|vous souffrez|tu souffres)\\b[^.?!\\n]{0,8}?${CONDITION}`,
      `\\b(?:c'est|il s'agit d|cela ressemble à|ça ressemble à|vos symptômes (?:indiquent|évoquent|correspondent à)|vos mesures (?:montrent|indiquent)|ce que vous décrivez (?:est|correspond à))[^.?!\\n]{0,12}?${CONDITION}`,
      `\\b(?:vous êtes|tu es) (?:\\w+ )?hypertendu\\w*`,
    ]),
  },
};
