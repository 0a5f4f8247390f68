import type { Int } from '../schema.js';

export interface OrgSettingsTable {
  org_id: Int;
  key: string;
  value: string;
  updated_at: string;
}

export interface SettingsTables {
  org_settings: OrgSettingsTable;
}
