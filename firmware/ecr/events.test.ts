// The event ring: increasing ids, resume after an id, and `complete: false` for ids lost or from another boot.
import { FakeClock } from '../common/clock';
import { EventHub } from './events';

it('resumes after an id with what followed it, and says when events were lost', () => {
  const hub = new EventHub(new FakeClock(1_700_000_000_000), 3);
  const seen: string[] = [];
  hub.subscribe((e) => seen.push(e.id));
  const ids = [1, 2, 3, 4, 5].map((n) => hub.publish('device', { n }).id);
  expect(seen).toEqual(ids);
  expect(ids[0]).toBe(`${hub.boot}.1`);
  expect(hub.lastId).toBe(ids[4]);
  expect(hub.since(ids[3])).toEqual({ events: [expect.objectContaining({ id: ids[4] })], complete: true });
  expect(hub.since(ids[1]).complete).toBe(true);
  expect(hub.since(ids[1]).events.map((e) => e.data.n)).toEqual([3, 4, 5]);
  expect(hub.since(ids[0])).toMatchObject({ complete: false });
  expect(hub.since(ids[4])).toEqual({ events: [], complete: true });
  expect(hub.since('zzz.2')).toMatchObject({ complete: false, events: [{ data: { n: 3 } }, { data: { n: 4 } }, { data: { n: 5 } }] });
  expect(hub.since(`${hub.boot}.99`).complete).toBe(false);
  expect(hub.since('not an id').complete).toBe(false);
  expect(hub.since(undefined)).toEqual({ events: [], complete: true });
});
