/**
 * A POSIX ustar archive of a few small files, in memory: enough for a case bundle, which every
 * operating system opens without installing anything (tar on Linux and macOS, tar.exe and the
 * Explorer on Windows 10 and later). Names are ASCII and under 100 bytes; times are whole seconds.
 */
export interface TarFile {
  name: string;
  content: Buffer;
}

const BLOCK = 512;

export function tarArchive(files: readonly TarFile[], modifiedAt: Date): Buffer {
  const parts: Buffer[] = [];
  for (const file of files) {
    parts.push(header(file.name, file.content.length, modifiedAt), file.content);
    const padding = (BLOCK - (file.content.length % BLOCK)) % BLOCK;
    if (padding) parts.push(Buffer.alloc(padding));
  }
  parts.push(Buffer.alloc(2 * BLOCK)); // the end of the archive
  return Buffer.concat(parts);
}

function header(name: string, size: number, modifiedAt: Date): Buffer {
  if (!/^[\x20-\x7e]{1,99}$/.test(name)) throw new Error(`tar member name must be printable ASCII under 100 bytes: ${name}`);
  const block = Buffer.alloc(BLOCK);
  const octal = (value: number, width: number) => value.toString(8).padStart(width - 1, '0') + '\0';
  block.write(name, 0, 'ascii');
  block.write(octal(0o644, 8), 100, 'ascii');
  block.write(octal(0, 8), 108, 'ascii');
  block.write(octal(0, 8), 116, 'ascii');
  block.write(octal(size, 12), 124, 'ascii');
  block.write(octal(Math.floor(modifiedAt.getTime() / 1000), 12), 136, 'ascii');
  block.write('        ', 148, 'ascii'); // the checksum counts its own field as spaces
  block.write('0', 156, 'ascii');
  block.write('ustar\0' + '00', 257, 'ascii');
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'ascii');
  return block;
}
