/// What the seed text prints for the 5×9 glider of items 56–60, the fixture every Life test compares with.
public enum SeedOutput {
    /// Generations 0 to 4 as the seed's `Grid.__str__` renders them.
    public static let gliderFrames = [
        "---*-----\n----*----\n--***----\n---------\n---------\n",
        "---------\n--*-*----\n---**----\n---*-----\n---------\n",
        "---------\n----*----\n--*-*----\n---**----\n---------\n",
        "---------\n---*-----\n----**---\n---**----\n---------\n",
        "---------\n----*----\n-----*---\n---***---\n---------\n",
    ]

    /// The seed's `print(columns)` output for those frames, its own indentation removed; the header keeps
    /// its trailing spaces.
    public static let gliderColumns = [
        "    0     |     1     |     2     |     3     |     4    ",
        "---*----- | --------- | --------- | --------- | ---------",
        "----*---- | --*-*---- | ----*---- | ---*----- | ----*----",
        "--***---- | ---**---- | --*-*---- | ----**--- | -----*---",
        "--------- | ---*----- | ---**---- | ---**---- | ---***---",
        "--------- | --------- | --------- | --------- | ---------",
    ].joined(separator: "\n")

    /// SHA-256 of generation 4, as `printf '%s' ... | sha256sum` gives it.
    public static let finalGliderSHA256 = "33898d1dba7918ab216b13d2fb42237558b81a98b50a233deb1dfd3d105279aa"
}
