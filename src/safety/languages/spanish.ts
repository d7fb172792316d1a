// Spanish: Layer 1's emergency, medical-advice and injection rules and Layer 3's answer
// patterns. Written in Spanish spelling; `folded` makes each match the folded text ("desmayé"
// and "desmaye" alike). The same decisions as the English rules (see emergency.ts,
// medical-advice.ts, injection.ts, layer3.ts): recall first for emergencies, self-harm never
// suppressed, a request frame joined to a medication through a closed list of words.

import {
  DOSE_AMOUNT_SOURCE,
  MEDICATION_ANY_LANGUAGE_SOURCE,
  MEDICATION_NAME_SOURCE,
} from "../medication-terms";
import { folded, type LanguagePack } from "./rule-types";

const MED = `${MEDICATION_ANY_LANGUAGE_SOURCE}(?! (?:recordatorios?|avisos?|alarmas?|notificaciones|registros?|historial)\\b)`;
const PILLS = `(?:pastillas|píldoras|comprimidos|cápsulas|tabletas|grageas|${MEDICATION_NAME_SOURCE})`;
/**
 * Took, in the past: "tomo cuatro pastillas al día" is a routine, "me tomé cuatro" is not. Folded,
 * "tomó" and "tomo" are one word, so the third person needs its "se".
 */
const TOOK = `(?:tomé|se tomó|tomado|tomaste|tragué|se tragó|tragado|ingerí|ingirió|ingerido|acabo de tomar(?:me)?|acaba de tomar(?:se)?)`;
const CANT = `(?:no (?:puedo|puede|consigo|consigue|logro|logra|podía)|apenas (?:puedo|puede))`;
const SOMEONE = `(?:mi|su) (?:padre|madre|marido|mujer|esposo|esposa|pareja|hijo|hija|abuelo|abuela|hermano|hermana|amigo|amiga|vecino|vecina|suegro|suegra|novio|novia)`;
/** Words allowed between a verb and its medication ("dejar de tomar la pastilla de la tensión"). */
const FILL = `(?: (?:la|el|las|los|lo|mi|mis|su|sus|tu|tus|una|un|uno|dos|en|media|medio|otra|otro|esta|este|estas|estos|esa|ese|de|del|toda|todas|todo|todos|tomar|tomando|más|menos|doble|extra|nueva|nuevo|diaria|diario|tensión|presión|para|la tensión|corazón|colesterol))*`;
const ASK = `(?:\\b(?:puedo|podría|debo|debería|tengo que|hay que|conviene|se puede|se pueden|sería mejor|es mejor|vale la pena|estaría bien|está bien|es (?:seguro|peligroso|malo|bueno|recomendable|grave)|pasa (?:algo|nada) si)(?: (?:ya|también|simplemente|solo|sólo|mejor|ahora|hoy|mañana|yo|dejar de))*)`;
const CHANGE_VERB = `(?:dejar(?: de tomar)?|pasar(?: a| de)?|suspender|parar|interrumpir|pausar|saltarme|saltar|omitir|tomarme|tomar|empezar(?: a tomar)?|cambiar(?: de)?|subir|bajar|aumentar|reducir|doblar|duplicar|partir|dividir|cortar|machacar|triturar|masticar|usar|utilizar|coger|compartir|combinar|mezclar|juntar)`;
const CONDITION = `(?:hipertensión|hipertens[ao]|hipotensión|tensión alta|presión alta|fibrilación auricular|arritmias?|insuficiencia cardíaca|diabetes|prediabetes|apnea del sueño|cardiopatía|taquicardia|bradicardia|enfermedad (?:renal|cardíaca|coronaria|del corazón)|un problema (?:de|del) corazón|algo (?:grave|malo|del corazón)|una enfermedad)`;

export const SPANISH: LanguagePack = {
  language: "es",
  emergency: [
    {
      category: "emergency_chest_pain",
      pattern: folded(
        [
          `\\bdolor(?:es)? (?:\\w+ ){0,3}?(?:en el|en mi|del|de|sobre el) pecho\\b`,
          `\\bdolor (?:torácico|precordial)`,
          `\\b(?:opresión|presión|peso|ardor|punzadas?|pinchazos?|tirantez|quemazón) (?:\\w+ ){0,2}?(?:en el|en mi|del|sobre el) pecho\\b`,
          `\\bme (?:duele|aprieta|arde|oprime|pesa|quema) (?:mucho |muchísimo |bastante |tanto )?(?:el )?pecho\\b`,
          `\\bpecho (?:me )?(?:duele|aprieta|arde|oprime|quema)|\\bpecho (?:muy )?(?:apretado|oprimido)`,
          `\\b(?:aplast\\w*|apret\\w*|oprim\\w*|estruj\\w*|presion\\w*) (?:\\w+ ){0,2}?(?:el|mi) pecho\\b`,
          `\\bdolor\\b[^.?!\\n]{0,30}\\b(?:baja|bajando|sube|subiendo|irradia\\w*|corre|se extiende|se va|llega) (?:hacia |hasta |por |al |a la )?(?:el |la |mi )?(?:brazo|mandíbula|cuello|hombro|espalda)\\b`,
          `\\b(?:me está dando|me da|me ha dado|me dio|estoy teniendo|tengo|creo que tengo|creo que es|está teniendo|le está dando|le da|le ha dado|le dio|es|sea) (?:\\w+ )?(?:un )?(?:infarto|ataque al corazón|ataque cardíaco)`,
        ],
        "g",
      ),
      suppressible: true,
    },
    {
      category: "emergency_breathing",
      pattern: folded(
        [
          `\\b${CANT} (?:\\w+ ){0,2}?(?:respirar|respiro|coger aire|tomar aire|recuperar el aliento)`,
          `\\b(?:me|le) cuesta (?:mucho )?respirar|\\b(?:dificultad|problemas?) (?:para|al) respirar`,
          `\\b(?:me|le) falta (?:el )?(?:aire|aliento)|\\bme (?:ahogo|estoy ahogando|asfixio|estoy asfixiando)\\b`,
          `\\b(?:no respira|ha dejado de respirar|dejó de respirar|no está respirando)\\b`,
          `\\bse (?:me |le )?(?:cierra|está cerrando|hincha) la garganta|\\blabios (?:morados|azules)|\\banafila\\w*`,
        ],
        "g",
      ),
      suppressible: true,
    },
    {
      // Breathlessness after exercise is common: it counts with a sign it is sudden or severe.
      category: "emergency_breathing",
      pattern: folded([`\\bfalta de aire|\\bsin aliento|\\bahogo\\b`], "g"),
      suppressible: true,
      cue: folded(
        [
          `\\b(?:de repente|repentin[ao]|muy|mucha|grave|en reposo|tumbad[ao]|sentad[ao]|ahora|pecho|mareo|no puedo hablar|labios|peor)\\b`,
        ],
        "g",
      ),
    },
    {
      category: "emergency_self_harm",
      pattern: folded(
        [
          `\\bsuicid\\w*`,
          `\\bmatarme\\b|\\bme (?:voy a|quiero|podría) matar\\b|\\bquitarme la vida|\\b(?:acabar|terminar) con mi vida|\\bponer fin a mi vida`,
          `\\b(?:quiero|quisiera|me quiero|tengo ganas de|ganas de|voy a|pienso en|pensando en) morir(?:me)?\\b|\\bme quiero morir\\b`,
          `\\bno quiero (?:seguir )?(?:vivir|viviendo|estar aquí|despertar(?:me)?|existir)\\b`,
          `\\bhacerme daño|\\bautolesi\\w*|\\bcortarme (?:las venas|los brazos|otra vez)`,
          `\\b(?:estarían|estarán|estaríais|están|estaría) mejor sin mí|\\bmejor (?:muerto|muerta)\\b`,
          `\\bno (?:le )?(?:veo|encuentro) (?:ningún )?(?:sentido|razón) a (?:la vida|vivir|seguir|nada)|\\bla vida no (?:tiene sentido|vale la pena)|\\bno vale la pena (?:vivir|seguir)`,
          `\\bojalá (?:no despertara|no me despertara|estuviera (?:muerto|muerta)|no existiera)`,
          `\\b(?:tomarme|tragarme) todas (?:las|mis) pastillas|\\b(?:carta|nota) de despedida`,
          `\\bdosis letal|\\bcuánt[ao]s? [^.?!\\n]{0,30}\\bpara (?:morir|matarme)`,
          `(?:^|\\bya )no (?:puedo|aguanto) más(?: con (?:mi vida|esto|todo))?\\s*(?:[.!]|$)`,
          `\\bdesaparecer para siempre\\b`,
          `\\b(?:acabar|acabo|acabaré|terminar|termino|terminaré) con todo\\s*(?:[.!]|$)|\\bacabar con todo esto`,
        ],
        "gm",
      ),
      suppressible: false,
    },
    {
      category: "emergency_stroke",
      pattern: folded(
        [
          `\\b(?:cara|boca|sonrisa|labio|comisura) (?:\\w+ ){0,3}?(?:caída|caído|torcida|torcido|paralizada|dormida|entumecida|colgando|desviada|ladeada)`,
          `\\bse (?:me |le )?(?:ha caído|cae|cayó|está cayendo|tuerce|torció|ha torcido|ha dormido|durmió) (?:la cara|la boca|media cara|un lado de la cara)`,
          `\\b(?:no (?:puede|puedo) hablar bien|habla (?:muy )?(?:raro|rara|extraño|trabado|trabada|arrastrando)|arrastr\\w* las palabras|lengua (?:trabada|de trapo|dormida)|no (?:me|le) salen las palabras|no (?:encuentra|encuentro) las palabras)`,
          `\\b(?:un lado|el lado (?:izquierdo|derecho)|la mitad|medio cuerpo|un costado)(?: del cuerpo| de la cara)? (?:\\w+ ){0,2}?(?:dormid[ao]|paralizad[ao]|entumecid[ao]|débil|sin fuerza|no responde)`,
          `\\b${CANT} (?:mover|levantar|sentir) (?:el|la|mi|su) (?:brazo|pierna|mano|lado)`,
          `\\b(?:brazo|pierna|mano) (?:izquierd[ao]|derech[ao]) (?:\\w+ ){0,2}?(?:dormid[ao]|paralizad[ao]|entumecid[ao]|débil|sin fuerza|no responde)`,
          `\\b(?:está|estoy|está teniendo|estoy teniendo|le está dando|me está dando|le da|me da|tiene|creo que es|creo que tiene|creo que tengo|es|sea|le ha dado|le dio|me dio) (?:\\w+ )?(?:un )?(?:ictus|derrame(?: cerebral)?|embolia|infarto cerebral|accidente cerebrovascular)`,
          `\\bde repente\\b[^.?!\\n]{0,30}\\b(?:no (?:puedo|puede) (?:hablar|ver|mover|caminar)|veo doble|visión borrosa|entumec\\w*|adormec\\w*|paraliz\\w*|confus\\w*)`,
          `\\bno veo (?:nada )?(?:por|de|con) un ojo|\\bperd\\w* (?:la )?(?:visión|vista) (?:de|en) un ojo`,
          `\\bel peor dolor de cabeza de mi vida|\\bdolor de cabeza (?:repentino|súbito) (?:y )?(?:muy )?(?:fuerte|intenso|brutal)`,
        ],
        "g",
      ),
      suppressible: true,
    },
    {
      category: "emergency_fainting",
      pattern: folded(
        [
          `\\bdesmay\\w*|\\bdesvanec\\w*`,
          `\\b(?:perdí|perdió|he perdido|ha perdido|perder) (?:el )?(?:conocimiento|sentido)\\b|\\binconsciente\\b`,
          `\\b(?:${SOMEONE}|él|ella)\\b[^.?!\\n]{0,25}\\bno (?:responde|reacciona|se despierta)\\b`,
          `\\bse (?:ha )?(?:desplomado|caído redondo)|\\bme (?:he )?desplom\\w*`,
        ],
        "g",
      ),
      suppressible: true,
    },
    {
      category: "emergency_overdose",
      pattern: folded(
        [
          `\\bsobredosis\\b`,
          `\\b${TOOK}\\b[^.?!\\n]{0,30}?\\b(?:la caja (?:entera|completa)|toda la caja|una caja entera|el blíster (?:entero|completo)|todo el blíster|el pastillero (?:entero|completo)|todo el pastillero|el frasco entero|el bote entero|las de toda la semana|el pastillero de (?:toda )?la semana)`,
          `\\b(?:todas|todo|muchas|el pastillero|la caja)\\b[^.?!\\n]{0,40}\\b(?:de (?:una vez|golpe)|a la vez)\\b`,
          `\\b${TOOK}\\b[^.?!\\n]{0,30}?\\b(?:todas (?:las|mis|sus)|un puñado de|muchísimas|muchas|demasiadas|varias|un montón de|(?:[4-9]|\\d{2,})(?! ?(?:mg|ml|mcg|miligramos))|cuatro|cinco|seis|siete|ocho|nueve|diez|quince|veinte) (?:de )?(?:mis |sus |las )?(?:\\w+ )?${PILLS}`,
          `\\b(?:triple|cuádruple) dosis|\\bdosis (?:triple|cuádruple)|\\b(?:el triple|tres veces|cuatro veces|diez veces) (?:de )?(?:la|mi|su) dosis`,
          `\\b(?:niño|niña|hijo|hija|bebé|nieto|nieta|pequeño|pequeña)\\b[^.?!\\n]{0,30}\\b(?:se ha tragado|se tragó|se comió|se ha comido|ha tomado|tomó|ha cogido|cogió)\\b[^.?!\\n]{0,40}?\\b(?:pastillas?|píldoras?|comprimidos?|medicamentos?|medicinas?|${MEDICATION_NAME_SOURCE})`,
        ],
        "g",
      ),
      suppressible: true,
    },
    {
      category: "emergency_seizure",
      pattern: folded([`\\bconvulsi\\w*|\\b(?:ataque|crisis) epiléptic[ao]`], "g"),
      suppressible: true,
    },
    {
      category: "emergency_bleeding",
      pattern: folded(
        [
          `\\bsangr\\w*\\b[^.?!\\n]{0,20}\\b(?:muchísimo|mucho|sin parar|no para|a chorros)|\\bno (?:para|deja) de sangrar|\\bhemorragia (?:fuerte|grave|abundante)`,
        ],
        "g",
      ),
      suppressible: true,
    },
    {
      category: "emergency_dying",
      pattern: folded(
        [
          `\\b(?:me estoy muriendo|siento que me muero|creo que me muero|creo que me estoy muriendo)\\b(?! de)`,
        ],
        "g",
      ),
      suppressible: true,
    },
    {
      category: "emergency_severe_pain",
      pattern: folded(
        [
          `\\bdolor(?:es)? (?:insoportables?|atroz|inaguantables?|desgarradores?)|\\bel peor dolor de mi vida`,
        ],
        "g",
      ),
      suppressible: true,
    },
  ],
  suppression: {
    negationBefore: folded([
      `\\b(?:no|nunca|jamás|sin|ningún|ninguna|ni|tampoco)(?: (?:tengo|tenía|tuve|he tenido|había|hay|siento|sentí|he sentido|noto|he notado|me|le|he|ha|algún|alguna|ningún|ninguna|el|la|los|las|un|una|más|nada de|de|ya|otro|otra))* $`,
    ]),
    distantPast: folded([
      `\\b(?:hace (?:\\d+|un|una|dos|tres|cuatro|cinco|varios|varias|muchos|muchas|unos|unas|algunos|algunas)(?: \\w+)? (?:años?|meses|mes|semanas)|el año pasado|el mes pasado|la semana pasada|de (?:niño|niña|pequeño|pequeña|joven)|cuando era (?:niño|niña|pequeño|pequeña|joven)|en (?:19|20)\\d\\d)\\b`,
    ]),
    happeningNow: folded([
      `\\b(?:ahora|otra vez|de nuevo|hoy|esta (?:mañana|tarde|noche)|todavía|aún|sigue|sigo|ha vuelto|volvió|vuelve)\\b`,
    ]),
  },
  advice: [
    { category: "medical_advice_change", pattern: folded([`${ASK} ${CHANGE_VERB}${FILL} ${MED}`]) },
    // "¿puedo dejarla una semana?" with the medication named elsewhere in the message
    {
      category: "medical_advice_change",
      pattern: folded([
        `${ASK} (?:dejarl[ao]s?|suspenderl[ao]s?|pararl[ao]s?|saltármel[ao]s?|tomárm?el[ao]s?|tomarl[ao]s?|partirl[ao]s?|dividirl[ao]s?|cortarl[ao]s?|doblarl[ao]s?|cambiarl[ao]s?|dejar de tomarl[ao]s?)\\b`,
      ]),
      needs: "medication",
    },
    {
      category: "medical_advice_change",
      pattern: folded([
        `\\b(?:quiero|quisiera|estoy pensando en|pienso|he decidido|voy a|me gustaría|me planteo|estoy planteándome) ${CHANGE_VERB}${FILL} ${MED}`,
      ]),
    },
    {
      category: "medical_advice_change",
      pattern: folded([
        `\\b(?:qué (?:pasa|pasaría|ocurre|ocurriría)|pasa (?:algo|nada)|es (?:malo|grave|peligroso)) si (?:dejo(?: de tomar)?|dejara|me salto|suspendo|paro|tomo|tomara|cambio|subo|bajo|doblo|parto|mezclo|combino|uso)${FILL} ${MED}`,
        `\\b(?:me salté|olvidé|se me olvidó|no tomé)${FILL} ${MED}[^?!\\n]{0,60}?\\bqué (?:hago|debo hacer|tengo que hacer)`,
        `\\b(?:necesito|tengo que) (?:seguir )?(?:tomando|tomar)${FILL} ${MED}(?: toda la vida| siempre| para siempre)`,
      ]),
    },
    // "¿me las tomo?", "¿cuántos días puedo estar sin tomar la pastilla?"
    {
      category: "medical_advice_change",
      pattern: folded([
        `(?:¿|^)\\s*(?:y )?(?:me )?(?:l[ao]s? )?(?:tomo|trago|parto|dejo|salto|subo|bajo|doblo|cambio|suspendo|combino)\\b(?! (?:la|mi) (?:tensión|presión))[^.!?\\n]{0,40}\\?`,
        `${ASK}[^.?!\\n]{0,30}\\bsin (?:tomar|tomarme)\\b`,
      ]),
      needs: "medication",
    },
    {
      category: "medical_advice_dose",
      pattern: folded([`${ASK}[^.?!\\n]{0,30}${DOSE_AMOUNT_SOURCE}`]),
    },
    {
      category: "medical_advice_dose",
      pattern: folded([
        `\\bcuánt[ao]s? (?:\\w+ ){0,3}?(?:puedo|debo|debería|se puede|hay que|es seguro) (?:tomar|tomarme|combinar|juntar)\\b`,
        `\\b(?:qué|cuál es la|la) dosis (?:\\w+ )?(?:máxima|correcta|adecuada|recomendada|debo|debería|tomo|me tomo|es)\\b`,
        `\\b(?:es|son|será)\\b[^.?!\\n]{0,15}(?:demasiado|mucho|poco|suficiente)\\b[^.?!\\n]{0,20}${DOSE_AMOUNT_SOURCE}|${DOSE_AMOUNT_SOURCE}[^.?!\\n]{0,30}\\b(?:es|son|será) (?:demasiado|mucho|poco|suficiente|una dosis (?:alta|baja))`,
        `\\b(?:la|el) de \\d+(?:[.,]\\d+)?(?: ?mg)? o (?:la|el) de \\d+`,
        `\\bqué (?:dosis|concentración|potencia|miligramos) (?:me )?(?:conviene|debo|debería|es mejor)`,
      ]),
      needs: "medication",
    },
    {
      category: "medical_advice_interaction",
      pattern: folded([
        `${ASK} (?:\\w+ ){0,2}?(?:tomar|tomarme|beber|comer|mezclar|combinar|juntar|usar)\\b[^.?!\\n]{0,40}?\\b(?:con|junto con|mientras tomo|si tomo|estando con|y)${FILL} ${MED}`,
        `\\b(?:interacci\\w*|interactúa\\w*|interfiere\\w*|es compatible|son compatibles|se pueden (?:tomar|mezclar|combinar) juntos)\\b`,
        `\\b(?:pomelo|toronja|alcohol|cerveza|vino|regaliz|café)\\b[^.?!\\n]{0,40}\\b(?:afecta|es malo|es peligroso|va mal|sienta mal|hace algo|corta el efecto)\\b`,
      ]),
      needs: "medication",
    },
    {
      category: "medical_advice_change",
      pattern: folded([
        `\\b(?:tomar|tomarme|usar|coger|probar|pedir prestad[ao]s)\\b[^.?!\\n]{0,30}\\b(?:las|los|la|el|unas|unos) (?:\\w+ )?de ${SOMEONE}\\b`,
      ]),
      needs: "medication",
    },
    {
      category: "medical_advice_choice",
      pattern: folded([
        `\\b(?:qué|cuál)(?: \\w+){0,2} (?:medicamento|medicina|pastilla|fármaco|tratamiento) (?:me )?(?:recomiendas|recomienda|debo|debería|es mejor|me conviene)`,
        `\\b(?:recomiéndame|recomiendas|me recomiendas|me recomienda)\\b[^.?!\\n]{0,30}${MED}`,
        `\\b(?:cuál|qué) es (?:mejor|más segur[ao])\\b[^.?!\\n]{0,40}${MEDICATION_NAME_SOURCE}`,
      ]),
    },
    {
      category: "medical_advice_diagnosis",
      pattern: folded([
        `(?:¿[^?\\n]{0,60}|\\b(?:crees|cree|piensas|diría|dirías) que |\\bes posible que |\\bsignifica(?:n)? que |\\bquiere(?:n)? decir que |\\bindica(?:n)? que )(?:tengo|tendré|tenga|padezco|sufro|soy|estoy)\\b[^.?!\\n]{0,30}${CONDITION}`,
        `¿[^?\\n]{0,40}\\b(?:esto|eso|lo mío|lo que tengo|lo que me pasa)\\b[^?\\n]{0,15}\\b(?:es|será|sería|puede ser|podría ser)\\b[^.?!\\n]{0,15}${CONDITION}`,
        `\\b(?:mis|estos|estas|mi) (?:valores|lecturas|mediciones|cifras|síntomas|datos|resultados|tensión|presión)\\b[^.?!\\n]{0,30}\\b(?:indican|significan|quieren decir|apuntan a|son de|son señal de|son síntoma de|confirman)\\b[^.?!\\n]{0,20}${CONDITION}[^.!\\n]*\\?`,
        `\\b(?:qué|cuál|a qué) (?:enfermedad|condición|problema|diagnóstico|trastorno)\\b[^.?!\\n]{0,30}\\b(?:tengo|tendré|puedo tener|pueda tener|será|apunta\\w*|indica\\w*|sugiere\\w*|podría|señala\\w*)`,
        `\\b(?:diagnostícame|hazme un diagnóstico|dame un diagnóstico)|\\bqué me pasa\\b`,
      ]),
    },
  ],
  injection: [
    {
      category: "injection_override",
      pattern: folded([
        `\\b(?:ignora|ignore|ignorad|olvida|olvídate de|olvide|omite|descarta|sáltate|pasa de|no hagas caso (?:a|de)) (?:\\w+ ){0,4}?(?:instrucciones|reglas|normas|indicaciones|restricciones|directrices|órdenes|limitaciones|filtros)\\b`,
        `\\b(?:desactiva|quita|elimina|apaga|sáltate) (?:\\w+ ){0,3}?(?:filtros?|restricciones|reglas de seguridad|la seguridad|límites|censura)\\b`,
        `\\bnuevas (?:instrucciones|reglas) ?:`,
      ]),
    },
    {
      category: "injection_reveal",
      pattern: folded([
        `\\b(?:muestra|muéstrame|muestres|enséñame|enseñes|dime|digas|revela|revélame|reveles|repite|imprime|copia|escribe|dame|des|pásame|comparte|lista|lee|recita|cuéntame|traduce|resume)\\b(?: \\w+){0,4}? (?:tus (?:instrucciones|reglas|directrices|indicaciones|órdenes)|instrucciones (?:del sistema|ocultas|internas|iniciales|originales|secretas)|(?:el )?prompt|mensaje (?:del|de) sistema|tu configuración|la configuración (?:interna|del sistema|del servidor)|contraseñas?|claves? (?:de (?:la )?api|api|secretas?)|api ?keys?|tokens? de acceso|variables de entorno|tus herramientas|herramientas (?:internas|que tienes|que usas)|funciones internas)\\b`,
        `\\bqué (?:instrucciones|reglas|órdenes) te (?:dieron|han dado|dio|pusieron)`,
        `\\b(?:guion|instrucciones|reglas|órdenes) (?:originale?s?|iniciale?s?|ocult[ao]s?|secret[ao]s?|intern[ao]s?)\\b`,
        `\\binstrucciones que te (?:dieron|han dado|dio|pusieron)|\\b(?:cuál es|cuáles son|dónde está|dónde están)\\b[^.?!\\n]{0,20}\\b(?:la clave de (?:la )?api|las claves de (?:la )?api|la contraseña (?:del|de la)|las variables de entorno|el token de acceso|tu prompt|tus instrucciones)`,
      ]),
    },
    {
      category: "injection_roleplay",
      pattern: folded([
        `\\b(?:haz|actúa|finge|imagina|juega|haz de cuenta) (?:\\w+ ){0,3}?(?:como si fueras|que eres|que fueras|de|el papel de|como) (?:mi |un |una |el )?(?:médico|doctor|doctora|dan|cardiólog[ao]|enfermer[ao]|farmacéutic[ao]|ia sin \\w+|asistente sin \\w+)\\b`,
        `\\bmodo (?:desarrollador|dios|administrador|sin restricciones|sin filtros|sin censura|dan)\\b`,
        `\\ba partir de ahora (?:eres|serás|vas a ser|responderás)\\b`,
      ]),
    },
    {
      // A pretext ("soy el desarrollador", "para una auditoría") with a secret or an internal.
      category: "injection_reveal",
      pattern: folded([
        `\\b(?:soy|somos) (?:el |la |un |una |del equipo de )?(?:desarrollador\\w*|administrador\\w*|ingenier\\w*|auditor\\w*|técnico\\w*|equipo de (?:seguridad|desarrollo|soporte))|\\bpara (?:una |un )?(?:auditoría|depurar|prueba de seguridad|test de seguridad)\\b|\\bpor motivos de seguridad\\b`,
      ]),
      alsoNeeds: folded([
        `\\b(?:configuración|contraseñas?|claves?|api|tokens?|variables de entorno|prompt|instrucciones|otros usuarios|credenciales)\\b`,
      ]),
    },
    {
      category: "injection_reveal",
      pattern: folded([`\\b(?:palabra por palabra|al pie de la letra|literalmente)\\b`]),
      alsoNeeds: folded([`\\b(?:instrucciones|prompt|reglas|órdenes|guion)\\b`]),
    },
    {
      category: "injection_roleplay",
      pattern: folded([
        `\\b(?:como si no tuvieras|imagina que no tienes|finge que no tienes) (?:\\w+ )?(?:reglas?|restricci\\w*|límites?|filtros?|normas?)|\\beres (?:ahora )?(?:dan|una ia sin \\w+|un asistente sin \\w+)\\b`,
      ]),
    },
    {
      category: "injection_fake_role",
      pattern: folded([`\\[(?:sistema|desarrollador)\\]|^ ?(?:sistema|desarrollador) ?:`], "m"),
    },
    {
      category: "injection_encoded",
      pattern: folded([
        `\\b(?:decodifica|descifra|traduce|convierte)\\b[^.?!\\n]{0,60}\\b(?:base ?64|rot-?13|hex\\w*|binario|cifrad[ao]|codificad[ao])\\b`,
      ]),
      alsoNeeds: folded([
        `\\b(?:haz|sigue|síguelo|obedece|ejecuta|ejecútalo|cumple|instrucciones|lo que (?:dice|diga|pone))\\b`,
      ]),
    },
    {
      category: "injection_roleplay",
      pattern: folded([`\\bsin (?:restricciones|filtros|censura|reglas|límites)\\b`]),
      alsoNeeds: folded([`\\b(?:responde|contesta|dime|eres|actúa|ia|asistente|modelo)\\b`]),
    },
    {
      category: "injection_privilege",
      pattern: folded([
        `\\b(?:datos|lecturas|mediciones|historial|registros|mensajes|correos|información) de (?:otros usuarios|todos los usuarios|otro usuario|cualquier usuario|otros pacientes|otras personas|los demás usuarios)`,
        `\\b(?:nota|mensaje|instrucción|aviso) para (?:el |la )?(?:asistente|ia|modelo|bot|sistema)\\b`,
      ]),
    },
  ],
  answer: {
    redirect: folded([
      `\\b(?:médic[ao]s?|doctor[a]?|farmacéutic[ao]|cardiólog[ao]|especialista|enfermer[ao]|profesional sanitario)\\b[^\\n]*\\b(?:habl\\w*|consult\\w*|pregunt\\w*|coment\\w*|díga\\w*|díse\\w*|decir\\w*|dirá\\w*|acud\\w*|pid[ae]|decid\\w*|revis\\w*)|\\b(?:habl\\w*|consult\\w*|pregunt\\w*|coment\\w*|acud\\w*|decid\\w*|revis\\w*)\\b[^\\n]*\\b(?:médic[ao]s?|doctor[a]?|farmacéutic[ao]|cardiólog[ao]|especialista|enfermer[ao])\\b`,
    ]),
    prescription: folded([
      `(?:^|, |\\bmejor )(?:por favor,? )?(?:tome|toma|tómese|tómate|tómel[ao]s?|tómal[ao]s?)\\b[^.?!\\n]{0,40}\\b(?:por la (?:noche|mañana|tarde)|antes de (?:dormir|acostarse|acostarte)|con (?:la )?comida|en (?:su|tu) lugar|en vez de|dos|doble|extra|otra)`,
      `(?:^|, |\\bmejor )(?:por favor,? )?(?:parta|parte|pártel[ao]s?|pártal[ao]s?|divida|divide|corte|corta|córtel[ao]s?|córtal[ao]s?)\\b[^.?!\\n]{0,30}\\b(?:mitad|dos|trozos)`,
      `(?:^|, |\\bmejor )(?:por favor,? )?(?:deje de tomar|deja de tomar|suspenda|suspende|sáltese|sáltate|sáltesel[ao]s?|sáltatel[ao]s?|omita|omite|no tome|no tomes|duplique|duplica|doble|dobla|aumente|aumenta|reduzca|reduce|cambie a|cambia a)\\b`,
      `\\b(?:debería|deberías|debe|debes|puede|puedes|tiene que|tienes que|le recomiendo|te recomiendo|le aconsejo|te aconsejo|mejor)(?: \\w+)? (?:tomar|dejar|suspender|saltar|partir|duplicar|doblar|aumentar|reducir|cambiar|empezar)\\w*${FILL} ${MED}`,
    ]),
    dosage: folded([
      `\\bla dosis (?:habitual|normal|recomendada|máxima|correcta|adecuada)(?: de \\w+)? es\\b`,
      `(?:^|, |\\bmejor )(?:por favor,? )?(?:tome|toma|tómese|tómate)\\b[^.?!\\n]{0,20}${DOSE_AMOUNT_SOURCE}`,
    ]),
    diagnosis: folded([
      `(?<!\\bsi )(?<!\\bsi usted )(?<!\\bque )\\b(?:usted )?(?:tiene|tienes|padece|padeces|sufre de|sufres de)(?: usted)? (?:una? )?${CONDITION}\\b(?! (?:lecturas|valores|cifras))`,
      `\\b(?:esto|eso|lo que describe|lo que describes|sus síntomas|tus síntomas|sus lecturas|tus lecturas|sus valores|tus valores) (?:es|son|indica|indican|parece|parecen|suena a|apunta a|apuntan a) (?:claramente |probablemente |sin duda )?(?:una? |de )?${CONDITION}`,
      `\\b(?:es usted|eres) hipertens[ao]\\b`,
    ]),
  },
};
