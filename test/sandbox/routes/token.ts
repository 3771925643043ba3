import { fail } from '../errors';
import { ok, type Route } from './context';

/** gettoken (91039): 41002/41004 missing, 40013 unknown corp, 40001 wrong secret; same token while valid. */
const gettoken: Route = {
	needsToken: false,
	handle(ctx) {
		const { corpid, corpsecret } = ctx.query;
		if (!corpid) fail(41002);
		if (!corpsecret) fail(41004);
		const apps = ctx.store.apps.filter((app) => app.corpId === corpid);
		if (apps.length === 0) fail(40013);
		const app = apps.find((entry) => entry.corpSecret === corpsecret);
		if (!app) fail(40001);
		const { token, expiresIn } = ctx.store.issueToken(app);
		return ok({ access_token: token, expires_in: expiresIn });
	},
};

export const tokenRoutes: Record<string, Route> = { '/cgi-bin/gettoken': gettoken };
