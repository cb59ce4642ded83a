/**
 * The demo platform's channels and messages: a small simulated Telegram. Every text is
 * synthetic and says so; none is, quotes or paraphrases real extremist material. The
 * channels exist only on the demo platform (they are not real t.me usernames).
 *
 * Message 7 of @serambi_demo is left alone by the demo seed: it is the one the README's
 * walkthrough "Your first notice, end to end" reports.
 */
export interface DemoChannel {
  username: string;
  chat_id: string;
  title: string;
  description: string;
  messages: { author: string; text: string; hours_ago: number }[];
}

const synthetic = (what: string) => `[synthetic demo post] ${what}`;

export const demoChannels: DemoChannel[] = [
  {
    username: 'serambi_demo',
    chat_id: '1900000001',
    title: 'Serambi (demo)',
    description: 'A simulated channel posting material made up to look like propaganda (Bahasa Indonesia).',
    messages: [
      {
        author: 'serambi_demo',
        hours_ago: 4,
        text: synthetic('Seruan bergabung dengan kelompok bersenjata fiktif "Kelompok Contoh".'),
      },
      {
        author: 'serambi_demo',
        hours_ago: 2,
        text: synthetic('Poster yang memuji serangan fiktif terhadap warga sipil.'),
      },
      {
        author: 'serambi_demo',
        hours_ago: 50,
        text: synthetic('Ajakan menyumbang dana untuk kelompok fiktif.'),
      },
      {
        author: 'serambi_demo',
        hours_ago: 60,
        text: synthetic('Video fiktif pelatihan senjata (tidak ada video sungguhan).'),
      },
      {
        author: 'serambi_demo',
        hours_ago: 80,
        text: synthetic('Nasyid fiktif yang mengagungkan kekerasan (tanpa lirik sungguhan).'),
      },
      {
        author: 'serambi_demo',
        hours_ago: 30,
        text: synthetic('Pengumuman rekrutmen fiktif dengan nomor kontak palsu.'),
      },
      {
        author: 'serambi_demo',
        hours_ago: 1,
        text: synthetic('Pamflet fiktif yang menghasut kekerasan terhadap kelompok rekaan.'),
      },
    ],
  },
  {
    username: 'warta_kota_demo',
    chat_id: '1900000002',
    title: 'Warta Kota (demo)',
    description: 'A simulated local news channel (Bahasa Indonesia).',
    messages: [
      {
        author: 'warta_kota_demo',
        hours_ago: 130,
        text: synthetic('Jadwal pemadaman listrik bergilir minggu ini di kota rekaan.'),
      },
      {
        author: 'warta_kota_demo',
        hours_ago: 70,
        text: synthetic('Klaim keliru bahwa air keran di kota rekaan beracun.'),
      },
      {
        author: 'warta_kota_demo',
        hours_ago: 5,
        text: synthetic('Laporan pasar murah di alun-alun kota rekaan.'),
      },
    ],
  },
  {
    username: 'northgate_demo',
    chat_id: '1900000003',
    title: 'Northgate Watch (demo)',
    description: 'A simulated English-language channel posting made-up violent-extremist material.',
    messages: [
      {
        author: 'northgate_demo',
        hours_ago: 3,
        text: synthetic('A call to attack a fictional town hall, with no real place named.'),
      },
      {
        author: 'northgate_demo',
        hours_ago: 6,
        text: synthetic('A manifesto excerpt invented for the demo, glorifying a fictional attacker.'),
      },
      {
        author: 'northgate_demo',
        hours_ago: 2,
        text: synthetic('Instructions, invented and incomplete, for a fictional sabotage.'),
      },
      {
        author: 'northgate_demo',
        hours_ago: 30,
        text: synthetic('A recruitment post for a fictional militia.'),
      },
    ],
  },
  {
    username: 'lucky_spin_demo',
    chat_id: '1900000004',
    title: 'Lucky Spin (demo)',
    description: 'A simulated online-gambling promotion channel.',
    messages: [
      {
        author: 'lucky_spin_demo',
        hours_ago: 3,
        text: synthetic('Slot gacor hari ini! Deposit lewat tautan palsu example.invalid.'),
      },
      {
        author: 'lucky_spin_demo',
        hours_ago: 40,
        text: synthetic('Bonus 200% untuk pemain baru di situs judi rekaan.'),
      },
    ],
  },
];

/** The t.me link of a demo message, as a notifier would report it. */
export function demoMessageUrl(channel: string, messageId: number): string {
  return `https://t.me/${channel}/${messageId}`;
}
