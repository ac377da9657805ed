/** Every migration, oldest first. Migrations are hand-written and never edited once released: add a new one. */
import { InitialSchema1795216885526 } from './1795216885526-InitialSchema.js';
import { WalletSchema1796326795759 } from './1796326795759-WalletSchema.js';
import { Lsps5Webhooks1796342400000 } from './1796342400000-Lsps5Webhooks.js';

export const MIGRATIONS = [InitialSchema1795216885526, WalletSchema1796326795759, Lsps5Webhooks1796342400000];
