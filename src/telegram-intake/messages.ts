/**
 * What the bot says, in Bahasa Indonesia and English. The analyst's language is the one
 * Telegram reports for their app (`language_code`), until they choose with /bahasa or
 * /language; an unlinked sender is answered in theirs too. Texts are plain (no parse_mode),
 * so nothing a post or a parser reason contains can break the formatting.
 */
export type Language = 'id' | 'en';

/** Telegram sends IETF tags (`id`, `en-US`); the old ISO 639 code for Indonesian was `in`. */
export function languageOf(code: string | undefined): Language {
  const base = (code ?? '').toLowerCase().split('-')[0];
  return base === 'id' || base === 'in' ? 'id' : 'en';
}

export type Precision = 'message' | 'chat' | 'account' | 'none';

interface Catalogue {
  notLinked: string;
  linkMissing: string;
  linked: (name: string) => string;
  codeUnknown: string;
  codeUsed: string;
  codeExpired: string;
  codeNotFlagger: string;
  unlinked: string;
  help: string;
  precision: Record<Precision, string>;
  draftStarted: (targets: string[], note: string) => string;
  mediaHashed: (count: number) => string;
  mediaTooLarge: (name: string, mb: number) => string;
  mediaFailed: (name: string) => string;
  albumAdded: (count: number) => string;
  askCategory: string;
  askLegalBasis: string;
  askLegalBasisText: string;
  writeOwn: string;
  summary: (s: {
    targets: string[];
    category: string;
    legalBasis: string;
    explanation: string;
    evidence: number;
  }) => string;
  confirm: string;
  cancel: string;
  done: string;
  filing: string;
  filed: (noticeId: string, deadline: string) => string;
  refusedByIntake: (reason: string) => string;
  cancelled: string;
  nothingToCancel: string;
  busy: string;
  staleButton: string;
  needTarget: string;
  linkRefused: (reason: string) => string;
  gatherStarted: (minutes: number) => string;
  gatherAdded: (count: number) => string;
  gatherClosed: string;
  explanationNoted: string;
  flood: (seconds: number) => string;
  muted: string;
  unmuted: string;
  languageSet: string;
  notText: string;
  clarificationAnswered: string;
  clarificationRefused: (reason: string) => string;
  statusHeader: string;
  status: Record<string, string>;
  clarificationAsk: (notice: string, question: string) => string;
  disabled: string;
  failed: string;
}

const id: Catalogue = {
  notLinked:
    'Halo! Bot ini menerima laporan dari organisasi pelapor yang terhubung dengan tapis. Akun Telegram Anda belum terhubung: minta kode di portal tapis, lalu kirim /start KODE di sini.',
  linkMissing: 'Kirim /start diikuti kode dari portal tapis, misalnya /start ABCDEFGH23.',
  linked: (name) =>
    `Terhubung sebagai ${name}. Teruskan (forward) postingan yang melanggar kepada saya, atau tempel tautan t.me, untuk membuat laporan.`,
  codeUnknown: 'Kode ini tidak dikenal. Periksa kembali, atau minta kode baru di portal.',
  codeUsed: 'Kode ini sudah dipakai. Setiap kode hanya berlaku satu kali: minta kode baru di portal.',
  codeExpired: 'Kode ini sudah kedaluwarsa (berlaku 10 menit). Minta kode baru di portal.',
  codeNotFlagger: 'Hanya pengguna organisasi pelapor yang dapat menghubungkan akun Telegram.',
  unlinked: 'Akun Telegram Anda tidak lagi terhubung dengan tapis.',
  help: 'Teruskan postingan, atau tempel tautan t.me. Perintah: /kumpulkan (gabungkan beberapa postingan dalam satu laporan), /batal, /bisukan, /bunyikan, /language en, /putuskan.',
  precision: {
    message: 'Lokasi tepat: postingan ini.',
    chat: 'Asal penerusan hanya menyebut obrolannya, bukan postingannya: targetnya obrolan itu.',
    account: 'Asal penerusan hanya menyebut akun pengirim, bukan postingannya: targetnya akun itu.',
    none: 'Pengirim asli menyembunyikan akunnya, jadi lokasinya tidak dapat diketahui. Tempel tautan ke postingan atau kanalnya.',
  },
  draftStarted: (targets, note) =>
    `Draf laporan dibuat.\nTarget: ${targets.length ? targets.join(', ') : '(belum ada)'}\n${note}`,
  mediaHashed: (count) => `${count} berkas media disimpan sebagai bukti, dengan hash PDQ, MD5 dan SHA-256.`,
  mediaTooLarge: (name, mb) =>
    `Berkas ${name} lebih besar dari ${mb} MB, batas unduhan Bot API: dicatat pada laporan tanpa salinannya.`,
  mediaFailed: (name) =>
    `Berkas ${name} tidak dapat diunduh sekarang: dicatat pada laporan tanpa salinannya.`,
  albumAdded: (count) => `Album: ${count} postingan dalam laporan ini.`,
  askCategory: 'Pilih kategori:',
  askLegalBasis: 'Pilih dasar hukum:',
  askLegalBasisText: 'Tulis dasar hukumnya (misalnya undang-undang dan pasalnya).',
  writeOwn: 'Tulis sendiri',
  summary: (s) =>
    `Ringkasan laporan\nTarget: ${s.targets.join(', ')}\nKategori: ${s.category}\nDasar hukum: ${s.legalBasis}\nPenjelasan: ${s.explanation}\nBukti: ${s.evidence} berkas\n\nKirim teks untuk mengganti penjelasan, atau tekan Kirim.`,
  confirm: 'Kirim laporan',
  cancel: 'Batal',
  done: 'Selesai',
  filing: 'Laporan sedang dikirim…',
  filed: (noticeId, deadline) =>
    `Laporan diterima. Nomor: ${noticeId}\nBatas waktu: ${deadline}\nTanda terima bertanda tangan terlampir.`,
  refusedByIntake: (reason) => `Laporan tidak dapat diterima: ${reason}`,
  cancelled: 'Draf dibatalkan.',
  nothingToCancel: 'Tidak ada draf yang sedang berjalan.',
  busy: 'Ada draf laporan yang belum selesai. Selesaikan dulu, atau kirim /batal.',
  staleButton: 'Tombol ini sudah tidak berlaku.',
  needTarget: 'Laporan ini belum punya target. Tempel tautan t.me ke postingan atau kanalnya.',
  linkRefused: (reason) => `Tautan tidak dapat dipakai: ${reason}`,
  gatherStarted: (minutes) =>
    `Mode kumpulkan: teruskan postingan-postingan dalam ${minutes} menit ke depan, lalu tekan Selesai.`,
  gatherAdded: (count) => `${count} postingan terkumpul.`,
  gatherClosed: 'Waktu mengumpulkan sudah habis; lanjutkan laporan dengan postingan yang terkumpul.',
  explanationNoted: 'Penjelasan diperbarui.',
  flood: (seconds) => `Terlalu banyak pesan. Tunggu ${seconds} detik, lalu coba lagi.`,
  muted: 'Pemberitahuan status dibisukan. Kirim /bunyikan untuk menyalakannya lagi.',
  unmuted: 'Pemberitahuan status dinyalakan.',
  languageSet: 'Bahasa: Indonesia.',
  notText: 'Saya hanya memahami postingan yang diteruskan, tautan, dan perintah. Kirim /bantuan.',
  clarificationAnswered: 'Jawaban Anda atas permintaan klarifikasi sudah dikirim.',
  clarificationRefused: (reason) => `Jawaban tidak dapat dikirim: ${reason}`,
  statusHeader: 'Kabar laporan Anda:',
  status: {
    'notice.received': 'diterima',
    'notice.in_review': 'sedang ditinjau',
    'notice.clarification_requested': 'platform meminta klarifikasi',
    'notice.decided': 'diputuskan',
    'notice.action_applied': 'tindakan dijalankan',
    'notice.clock.at_risk': 'batas waktu hampir lewat',
    'notice.clock.breached': 'batas waktu terlewati',
    'notice.appeal_decided': 'banding diputuskan',
  },
  clarificationAsk: (notice, question) =>
    `Platform meminta klarifikasi atas laporan ${notice}:\n${question}\n\nBalas (reply) pesan ini untuk menjawab.`,
  disabled: 'Akun tapis Anda dinonaktifkan; bot ini tidak dapat menerima laporan Anda.',
  failed: 'Terjadi gangguan. Draf Anda tetap tersimpan; coba lagi sebentar lagi.',
};

const en: Catalogue = {
  notLinked:
    'Hello! This bot files notices for flagger organisations linked to tapis. Your Telegram account is not linked: ask for a code in the tapis portal, then send /start CODE here.',
  linkMissing: 'Send /start followed by the code from the tapis portal, for example /start ABCDEFGH23.',
  linked: (name) =>
    `Linked as ${name}. Forward an offending post to me, or paste a t.me link, to file a notice.`,
  codeUnknown: 'This code is not known. Check it, or ask for a new one in the portal.',
  codeUsed: 'This code has been used. Each code works once: ask for a new one in the portal.',
  codeExpired: 'This code has expired (codes last 10 minutes). Ask for a new one in the portal.',
  codeNotFlagger: 'Only users of flagger organisations can link a Telegram account.',
  unlinked: 'Your Telegram account is no longer linked to tapis.',
  help: 'Forward a post, or paste a t.me link. Commands: /gather (several posts in one notice), /cancel, /mute, /unmute, /bahasa id, /unlink.',
  precision: {
    message: 'Exact location: this post.',
    chat: 'The forward names only the chat, not the post: the target is that chat.',
    account: 'The forward names only the sender’s account, not the post: the target is that account.',
    none: 'The original sender hides their account, so no location can be derived. Paste a link to the post or its channel.',
  },
  draftStarted: (targets, note) =>
    `Draft notice started.\nTargets: ${targets.length ? targets.join(', ') : '(none yet)'}\n${note}`,
  mediaHashed: (count) => `${count} media file(s) kept as evidence, with PDQ, MD5 and SHA-256 hashes.`,
  mediaTooLarge: (name, mb) =>
    `The file ${name} is larger than ${mb} MB, the Bot API's download limit: it is noted on the notice without a copy.`,
  mediaFailed: (name) =>
    `The file ${name} could not be downloaded now: it is noted on the notice without a copy.`,
  albumAdded: (count) => `Album: ${count} posts in this notice.`,
  askCategory: 'Choose the category:',
  askLegalBasis: 'Choose the legal basis:',
  askLegalBasisText: 'Write the legal basis (for example the law and its article).',
  writeOwn: 'Write my own',
  summary: (s) =>
    `Notice summary\nTargets: ${s.targets.join(', ')}\nCategory: ${s.category}\nLegal basis: ${s.legalBasis}\nExplanation: ${s.explanation}\nEvidence: ${s.evidence} file(s)\n\nSend text to replace the explanation, or press File.`,
  confirm: 'File the notice',
  cancel: 'Cancel',
  done: 'Done',
  filing: 'Filing the notice…',
  filed: (noticeId, deadline) =>
    `Notice received. Number: ${noticeId}\nDeadline: ${deadline}\nThe signed receipt is attached.`,
  refusedByIntake: (reason) => `The notice could not be accepted: ${reason}`,
  cancelled: 'Draft cancelled.',
  nothingToCancel: 'There is no draft in progress.',
  busy: 'A draft notice is still open. Finish it first, or send /cancel.',
  staleButton: 'This button is no longer active.',
  needTarget: 'This notice has no target yet. Paste a t.me link to the post or its channel.',
  linkRefused: (reason) => `The link cannot be used: ${reason}`,
  gatherStarted: (minutes) =>
    `Gathering: forward the posts within the next ${minutes} minutes, then press Done.`,
  gatherAdded: (count) => `${count} post(s) gathered.`,
  gatherClosed: 'The gathering window has closed; continue the notice with the posts gathered.',
  explanationNoted: 'Explanation updated.',
  flood: (seconds) => `Too many messages. Wait ${seconds} seconds, then try again.`,
  muted: 'Status notifications muted. Send /unmute to turn them back on.',
  unmuted: 'Status notifications on.',
  languageSet: 'Language: English.',
  notText: 'I understand forwarded posts, links and commands. Send /help.',
  clarificationAnswered: 'Your answer to the clarification request has been sent.',
  clarificationRefused: (reason) => `The answer could not be sent: ${reason}`,
  statusHeader: 'News of your notices:',
  status: {
    'notice.received': 'received',
    'notice.in_review': 'in review',
    'notice.clarification_requested': 'the platform asks for clarification',
    'notice.decided': 'decided',
    'notice.action_applied': 'action applied',
    'notice.clock.at_risk': 'deadline at risk',
    'notice.clock.breached': 'deadline breached',
    'notice.appeal_decided': 'appeal decided',
  },
  clarificationAsk: (notice, question) =>
    `The platform asks for clarification on notice ${notice}:\n${question}\n\nReply to this message to answer.`,
  disabled: 'Your tapis account is disabled; this bot cannot take notices from you.',
  failed: 'Something went wrong. Your draft is kept; try again in a moment.',
};

export const catalogue: Record<Language, Catalogue> = { id, en };

export const say = (language: string): Catalogue => catalogue[language === 'id' ? 'id' : 'en'];
