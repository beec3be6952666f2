// Types for browser.mjs.
import type { BrowserContext, Page } from 'playwright-core';
export declare function launchChromium(opts?: Record<string, unknown>): Promise<{ ctx: BrowserContext; page: Page; close(): Promise<void> }>;
export declare function enableDevPayload(ctx: BrowserContext): Promise<void>;
