import { checkAgentId, ok, type Route } from './context';

/** agent/get (90227): the app's own settings; another app's agentid is 301002, a missing one 40056. */
const agentGet: Route = {
	needsToken: true,
	handle(ctx) {
		const agentid = checkAgentId(ctx, ctx.query.agentid);
		return ok({
			agentid,
			name: 'Sandbox App',
			square_logo_url: `${ctx.baseUrl}/media-cdn/logo.png`,
			description: 'The WeCom sandbox self-built app',
			allow_userinfos: { user: [] },
			allow_partys: { partyid: [1] },
			allow_tags: { tagid: [] },
			close: 0,
			redirect_domain: '',
			report_location_flag: 0,
			isreportenter: 0,
			home_url: '',
			customized_publish_status: 0,
		});
	},
};

export const agentRoutes: Record<string, Route> = { '/cgi-bin/agent/get': agentGet };
