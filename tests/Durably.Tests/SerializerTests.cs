namespace Durably.Tests;

public sealed class SerializerTests
{
    private readonly JsonDurableSerializer _serializer = JsonDurableSerializer.Default;

    [Fact]
    public void NullString_RoundTripsToNull() =>
        Assert.Null(_serializer.Deserialize<string>(_serializer.Serialize<string?>(null)));

    [Theory]
    [InlineData("\"quoted\"", "quoted")]
    [InlineData("raw text", "raw text")]
    [InlineData("{\"status\": \"approved\"}", "{\"status\": \"approved\"}")]
    public void StringTarget_JsonStringIsDecodedAndAnythingElseArrivesVerbatim(string payload, string expected) =>
        Assert.Equal(expected, _serializer.Deserialize<string>(payload));

    [Fact]
    public void NoPayload_DeserializesToDefault()
    {
        Assert.Equal(0, _serializer.Deserialize<int>(null));
        Assert.Null(_serializer.Deserialize<string>(""));
    }
}
