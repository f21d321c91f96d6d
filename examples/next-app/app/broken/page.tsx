// A page that fails as it renders: Next.js answers 500 and calls instrumentation.ts's
// onRequestError, which records the error on the page's request span.
export const dynamic = 'force-dynamic';

export default async function Broken(): Promise<never> {
  throw new Error('the shelf fell over');
}
