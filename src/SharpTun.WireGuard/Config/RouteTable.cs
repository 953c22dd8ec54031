namespace SharpTun.WireGuard;

/// <summary>wg-quick's <c>Table</c> setting: auto, off, a table id or a table name.</summary>
/// <param name="Kind">Which form.</param>
/// <param name="Id">The table id when <see cref="Kind"/> is <see cref="RouteTableKind.Id"/>.</param>
/// <param name="Name">The table name when <see cref="Kind"/> is <see cref="RouteTableKind.Name"/>.</param>
public readonly record struct RouteTable(RouteTableKind Kind, uint Id = 0, string? Name = null)
{
    /// <summary>The default, <c>auto</c>.</summary>
    public static RouteTable Auto => new(RouteTableKind.Auto);

    /// <summary>As written in a config: <c>auto</c>, <c>off</c>, the id or the name.</summary>
    public override string ToString() => Kind switch
    {
        RouteTableKind.Off => "off",
        RouteTableKind.Id => Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
        RouteTableKind.Name => Name ?? "",
        _ => "auto",
    };
}
