using System.Net;
using MiM.Bundles.Host.Jobs;
using MiM.Bundles.Host.Routing;

namespace MiM.Bundles.Host.Tests.Api;

public sealed class JobEndpointTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 5, 10, 0, 0, TimeSpan.Zero);

    private static JobView Job(string id, DateTimeOffset created, JobState state = JobState.Delivered) => new(
        id, "1.2.3", "1.2.3.4", "phantom-liver", "1.2.0", state, created,
        [new JobStageView("load", created, created.AddSeconds(1), null), new JobStageView("encoder", created.AddSeconds(1), null, state == JobState.Failed ? "out of memory" : null)],
        ["1.2.3.4.5"], state == JobState.Failed ? "encoder: out of memory" : null);

    [Fact]
    public async Task Unknown_job_is_404()
    {
        await using var api = await ApiFixture.StartAsync(ApiFixture.Loopback());
        api.Jobs.Jobs.Add(Job("job-1", T0));

        using var response = await api.Client.GetAsync(new Uri("/api/jobs/job-2", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Known_job_is_200_with_each_stage_start_end_and_error()
    {
        await using var api = await ApiFixture.StartAsync(ApiFixture.Loopback());
        api.Jobs.Jobs.Add(Job("job-1", T0, JobState.Failed));

        var job = await api.GetJsonAsync("/api/jobs/job-1");

        Assert.Equal("Failed", job.GetProperty("state").GetString());
        Assert.Equal("encoder: out of memory", job.GetProperty("error").GetString());
        var stages = job.GetProperty("stages");
        Assert.Equal("load", stages[0].GetProperty("name").GetString());
        Assert.Equal(T0.AddSeconds(1), stages[0].GetProperty("ended").GetDateTimeOffset());
        Assert.Equal("out of memory", stages[1].GetProperty("error").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, stages[1].GetProperty("ended").ValueKind);
    }

    [Fact]
    public async Task Job_list_is_newest_first_and_honours_the_limit()
    {
        await using var api = await ApiFixture.StartAsync(ApiFixture.Loopback());
        api.Jobs.Jobs.Add(Job("old", T0));
        api.Jobs.Jobs.Add(Job("new", T0.AddMinutes(1)));
        api.Jobs.Jobs.Add(Job("middle", T0.AddSeconds(30)));

        var two = await api.GetJsonAsync("/api/jobs?limit=2");

        Assert.Equal(["new", "middle"], two.EnumerateArray().Select(j => j.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task Unrouted_series_are_listed_with_each_bundle_reason()
    {
        await using var api = await ApiFixture.StartAsync(ApiFixture.Loopback());
        api.Unrouted.Series.Add(new UnroutedSeries("1.2.3", "1.2.3.9", T0, [new RoutingRefusal("phantom-liver", "1.2.0", "ImageOrientationPatient is sagittal, not axial")]));

        var list = await api.GetJsonAsync("/api/series/unrouted");

        var refusal = Assert.Single(Assert.Single(list.EnumerateArray()).GetProperty("refusals").EnumerateArray());
        Assert.Equal("ImageOrientationPatient is sagittal, not axial", refusal.GetProperty("reason").GetString());
    }
}
