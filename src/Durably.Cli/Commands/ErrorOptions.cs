using System.CommandLine;
using Durably.Protocol;

namespace Durably.Cli.Commands;

/// <summary><c>--error-type</c>, <c>--error-message</c> and (optionally) <c>--error-data</c>: an <see cref="ErrorObject"/>.</summary>
internal sealed class ErrorOptions
{
    private readonly Option<string?> _type = new("--error-type") { Description = "The error's type", HelpName = "type" };
    private readonly Option<string?> _message = new("--error-message") { Description = "The error's message", HelpName = "message" };
    private readonly Option<string?>? _data;

    /// <summary>Creates the options; <paramref name="withData"/> adds <c>--error-data</c>.</summary>
    public ErrorOptions(bool withData)
    {
        _data = withData ? new Option<string?>("--error-data") { Description = "Data attached to the error", HelpName = "data" } : null;
    }

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(_type);
        command.Options.Add(_message);
        if (_data is not null)
        {
            command.Options.Add(_data);
        }
    }

    /// <summary>The error object; every field absent when no option was given (<c>{}</c>).</summary>
    public ErrorObject Read(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        return new ErrorObject
        {
            ErrorType = parseResult.GetValue(_type),
            ErrorMessage = parseResult.GetValue(_message),
            ErrorData = _data is null ? null : parseResult.GetValue(_data),
        };
    }
}
