using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ELicence.Documents.Pages;

/// <summary>
/// Renders a page component to an HTML string with the standard <see cref="HtmlRenderer"/> (no server, no circuit). Text is
/// HTML-encoded by the renderer; letters of every script stay as they are, so the Chinese reads in the source too.
/// </summary>
public sealed class PageRenderer : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly HtmlRenderer _renderer;

    public PageRenderer(ILoggerFactory loggerFactory)
    {
        _services = new ServiceCollection().AddSingleton(HtmlEncoder.Create(UnicodeRanges.All)).BuildServiceProvider();
        _renderer = new HtmlRenderer(_services, loggerFactory);
    }

    public Task<string> RenderAsync<TPage>(IDictionary<string, object?> parameters)
        where TPage : IComponent =>
        _renderer.Dispatcher.InvokeAsync(async () =>
            (await _renderer.RenderComponentAsync<TPage>(ParameterView.FromDictionary(parameters))).ToHtmlString());

    public async ValueTask DisposeAsync()
    {
        await _renderer.DisposeAsync();
        await _services.DisposeAsync();
    }
}
