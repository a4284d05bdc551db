// The data folder is checked once, before anything opens a file in it: a path that is a file, or a folder that
// cannot be written, is one clear line — not a stack trace from SQLite, nor minutes of spinning under /proc.
import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { AppError } from './errors.ts';

export const checkDataDir = (dir: string): void => {
  let stats;
  try {
    stats = statSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new AppError('configuration', `STAGECRAFT_DATA_DIR (${dir}) cannot be read: ${(error as NodeJS.ErrnoException).code}`);
    try {
      mkdirSync(dir, { recursive: true });
      return;
    } catch (made) {
      throw new AppError('configuration', `STAGECRAFT_DATA_DIR (${dir}) cannot be created: ${(made as NodeJS.ErrnoException).code ?? (made as Error).message}`);
    }
  }
  if (!stats.isDirectory()) throw new AppError('configuration', `STAGECRAFT_DATA_DIR (${dir}) is a file, not a folder`);
  try {
    accessSync(dir, constants.W_OK | constants.R_OK);
  } catch {
    throw new AppError('configuration', `STAGECRAFT_DATA_DIR (${dir}) is not a folder this user can write`);
  }
};
