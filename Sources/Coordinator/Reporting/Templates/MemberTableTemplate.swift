/// The dashboard's per-member table (``MemberTable``): one row per member, a total row, zeros muted.
enum MemberTableTemplate {
    static let text = """
    <div class="table-wrap"><table><thead><tr>{{#headers}}<th>{{english}}<span class="cn">{{chinese}}</span></th>{{/headers}}\
    </tr></thead><tbody>{{#rows}}<tr><td class="member" title="{{member}}">{{member}}\
    {{#noReports}}<span class="badge">no reports · 未报送</span>{{/noReports}}\
    {{#overdue}}<span class="badge warn">overdue appeals</span>{{/overdue}}</td>{{#cells}}{{>table-cell}}{{/cells}}</tr>{{/rows}}\
    </tbody><tfoot><tr><td>All members · 合计</td>{{#total}}{{>table-cell}}{{/total}}</tr></tfoot></table></div>
    """

    /// One figure: muted when zero, with the share-of-all-matches bar when it has one.
    static let cell = """
    <td>{{#zero}}<span class="zero">0</span>{{/zero}}{{^zero}}{{text}}{{/zero}}\
    {{#share}}<span class="share"{{#hasTitle}} title="{{title}}"{{/hasTitle}}><span style="width:{{width}}%"></span></span>{{/share}}</td>
    """
}
