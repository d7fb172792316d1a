// Realistic 4,000-character messages in each screened language: a week of readings, doses,
// times and steps, as a user pastes a diary, ending with a question. Shared by the performance
// test and scripts/bench/guard-eval.ts, so both time the same text.
import type { CaseLanguage } from "./labelled-set";

export const LONG_MESSAGE_CHARS = 4000;

const DAYS: Record<CaseLanguage, readonly string[]> = {
  en: ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
  es: ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"],
  de: ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"],
  fr: ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"],
};

const ENTRY: Record<CaseLanguage, (day: string, i: number) => string> = {
  en: (day, i) =>
    `${day}: woke at 6:${10 + i}, BP ${128 + i}/${80 + (i % 5)} pulse ${64 + i}, took my amlodipine 5 mg at 7:${20 + i} with breakfast and my vitamin D. Walked ${4000 + i * 311} steps, felt a bit tired after lunch, second reading ${135 + i}/${85 + (i % 4)} at 15:${10 + i}. Slept about ${6 + (i % 3)} hours. `,
  es: (day, i) =>
    `El ${day} me levanté a las 6:${10 + i}, tensión ${128 + i}/${80 + (i % 5)} y pulso ${64 + i}; me tomé el enalapril de 10 mg a las 7:${20 + i} con el desayuno. Caminé ${4000 + i * 311} pasos, por la tarde estaba algo cansada y la segunda medición fue ${135 + i}/${85 + (i % 4)} a las 15:${10 + i}. Dormí unas ${6 + (i % 3)} horas. `,
  de: (day, i) =>
    `Am ${day} um 6:${10 + i} aufgestanden, Blutdruck ${128 + i}/${80 + (i % 5)}, Puls ${64 + i}; Ramipril 5 mg um 7:${20 + i} zum Frühstück genommen. ${4000 + i * 311} Schritte gegangen, nach dem Mittagessen etwas müde, zweite Messung ${135 + i}/${85 + (i % 4)} um 15:${10 + i}. Etwa ${6 + (i % 3)} Stunden geschlafen. `,
  fr: (day, i) =>
    `Le ${day}, levé à 6h${10 + i}, tension ${128 + i}/${80 + (i % 5)} et pouls ${64 + i} ; j'ai pris mon amlodipine 5 mg à 7h${20 + i} avec le petit déjeuner. J'ai marché ${4000 + i * 311} pas, un peu fatigué après le déjeuner, deuxième mesure ${135 + i}/${85 + (i % 4)} à 15h${10 + i}. Dormi environ ${6 + (i % 3)} heures. `,
};

const QUESTION: Record<CaseLanguage, string> = {
  en: "Can you tell me my weekly average and whether my mornings are improving?",
  es: "¿Me dices mi media semanal y si mis mañanas van mejorando?",
  de: "Können Sie mir meinen Wochendurchschnitt sagen und ob meine Morgenwerte besser werden?",
  fr: "Pouvez-vous me donner ma moyenne de la semaine et me dire si mes matinées s'améliorent ?",
};

/** A benign diary of exactly `chars` characters in the language. */
export function longMessage(language: CaseLanguage, chars = LONG_MESSAGE_CHARS): string {
  let text = "";
  for (let i = 0; text.length < chars - QUESTION[language].length - 1; i++) {
    text += ENTRY[language](DAYS[language][i % 7] ?? "", i % 9);
  }
  return `${text.slice(0, chars - QUESTION[language].length - 1)} ${QUESTION[language]}`;
}
