/**
 * The words that make the hotline answer for safety first. Data, not logic: `detect.ts` applies
 * them. Patterns are written for simplified Chinese with spaces removed (the detector folds
 * traditional characters, full-width forms and spaces first). Erring on the side of care: a
 * despairing sentence that is answered with the crisis lines costs a caller one extra message; a
 * missed one can cost a life.
 */

/** Despair, suicidal thoughts or self-harm, said of oneself or of someone close. */
export const CRISIS_CUES: readonly RegExp[] = [
  // Not wanting to live.
  /不想(再)?活|不愿(再)?活|不活了|活不下去|活不成了|活不了了|没法活|没办法活|没脸活|活着(已经|都|还)?(没|没有)(什么|任何|啥)?(意思|意义|劲|盼头|希望)|活下去(没有?|毫无)(什么|任何)?(意义|意思|希望)|活着(太|好|真)累|活着(还)?(有什么|有啥|干嘛|干什么|受罪)|活着(就是|只是)?(在)?(个)?(受罪|负担|拖累|累赘)|不配活|唔想(再)?(活|生存)|何必活着|活够了|活腻|生无可恋|生不如死/,
  // Wanting to die, and death as a way out of the debt.
  /想死|寻死|求死|找死|一死了之|大不了一死|死的心都有|我(要是|如果)?死了|死了(就|才|倒)(能|可以)?(算|不用|解脱|好|干净|一了百了|没事|清净|轻松|完了|拉倒)|死了(算了|拉倒|干净)|不如死了|还不如死|死给(他们|你们|他|她)看|以死|去死|以命抵债|拿命(还|抵|赔)|用命(还|抵)|要命一条|这条命(给|不要)|命都不要了/,
  // Suicide and self-harm, said plainly or with the words people use for it.
  /自杀|轻生|自尽|自残|自伤|寻短见|短见|走绝路|做傻事|傻事|自我了断|了断|了结(自己|生命|此生|这一生|这条命)|结束(自己|我的生命|生命|这一切)|一了百了|离开这个世界|离开人世|告别这个世界|再见了?(这个)?世界|(?<!让)想(就这么|从这个世界上?|永远)?消失|从这个世界上?消失|不如消失|消失算了|伤害(了)?(我)?自己|划(了|伤)?自己|割(了|伤)?自己|不想(再)?醒(来|过来)|再也不(要|想)?醒|一睡不醒|(想|就这么)结束(了|算了)|结束算了|(如果|要是)我没了|我没了(以后|之后|就|的话)|没了我|不好的念头|(轻生|寻死|死)的念头|永远(睡|休息|离开)|想解脱|求解脱|彻底解脱|永远解脱/,
  // Means.
  /跳楼(?!价|甩卖|大甩卖)|跳河|跳江|跳海|跳湖|跳崖|跳桥|跳井|跳水库|跳下去|卧轨|撞车|上吊|吊死|割腕|割脉|割手腕|烧炭|开煤气|农药|喝药|敌敌畏|安眠药|安定片|老鼠药|百草枯|服毒|吞(了)?药|攒(了)?药|吃药(自杀|死)|一瓶药|一把药/,
  // Places people go to end it.
  /(在|站在|爬上|坐在|去了)(楼顶|天台|桥上|河边|江边|湖边|海边|楼上边)/,
  // Despair that has run out of road.
  /撑不下去|撑不住了|不想再撑|熬不下去|熬不住了|挺不下去|坚持不下去|坚持不住了|扛不下去|走投无路|穷途末路|万念俱灰|心如死灰|没有?活路|没(有)?(希望|盼头|出路)了|看不到(希望|出路|头)|绝望|想不开/,
  // Any other 死 said of oneself, except the everyday hyperbole and set phrases (烦死了, 后悔死了, 社死, 死活, 死机…)
  // and the violence verbs the threat check answers (打死, 弄死…).
  /(?<!烦|笑|吓|累|气|急|忙|饿|困|热|冷|渴|闷|痛|疼|馋|美|帅|丑|羡慕|后悔|社|尴尬|打|弄|整|搞|杀|砍|捅|撞|催|骂|装|该|作|往|半|得要|生)死(?!活|机|心|党|定|磕|循环|账|缠|皮|对头|板|角|胡同|守|记|背|刑|扛|也不|不还|不认|里打|你|他|她)/,
  // Goodbyes.
  /遗书|遗言|后事|永别|先走一步|(跟|和|向)(我|大家|家人|我们)告别|在告别|告别(的话|信息|消息)|对不起(爸妈|爸爸妈妈|家人|大家|你们|父母).{0,12}(联系不上|走了|再见|不见了)|(留|写)了?(一)?封信.{0,10}(走了|不见)|(我)?走了(也)?(没人|没有人)(难过|在乎|心疼)|我走了(以后|之后)|等我走了|我(要是)?不在了|下辈子|来世|来生|帮我照顾(好)?(孩子|爸妈|父母|家人|老人)|没有我.{0,8}(更好|解脱|轻松|好过)|拖累(家人|家里|孩子|父母|大家|老婆|老公)/,
];

/**
 * Threats to physical safety from collectors: the caller gets the police answer (110 first).
 * Plain harassment (many calls, rude words) is not here: the classifier answers it. Calls are not
 * visits: 「打到单位」「找人打给我」 are phone calls, not a threat.
 */
export const THREAT_CUES: readonly RegExp[] = [
  // Violence.
  /往死里|砍(?!头息|头系|价|一刀|掉|了一刀价)|(?<!自|抹)杀(?!猪盘|毒|价|软件|得|菌)|弄死|整死|搞死|打死(?!也)|打残|搞残|弄残|打断.{0,3}腿|断手断脚|缺胳膊少腿|卸.{0,3}(腿|胳膊)|剁(手|了)|放血|废了(你|他|她)|收拾(你|他|她|我)|让(你|他|她|我)好看|别想好过|要(你|他|她|我)的?命|捅(死|你|他|她|人)|打(你|我)一顿|揍(你|我)|灭了?(你|他|她)?全家|弄你全家|报复/,
  // Coming to the home, the workplace, the family.
  /上门(?!维修|服务|安装|送|取件)|外访|家访|来我家|去我家|上我家|找到我家|来你家|去你家|上你家|找到你家|(去|到|来)(你|我)老家|我家门口|家门口|堵门|堵我|堵你|堵在|蹲我|蹲你|蹲守|来单位|(?<!打)到单位|去单位|你(的)?单位|你公司|来公司|(?<!打)到学校|去学校|学校门口|(?<!上)幼儿园|跟踪|(?<!相册|位置)定位(?!权限|功能|服务|短信)|知道(我|你)住(哪|在)|住址|派人|(找|叫)(人|兄弟)(去|来|打(?!给|电话|个电话|过来|回)|收拾|弄)|迟早找到你|找到你(了|的)/,
  // Menace by object: paint, wreaths, blades.
  /泼(油漆|漆|粪|汽油)|油漆|喷漆|大字报|门上写|花圈|冥币|寿衣|骨灰|遗照|遗像|棺材|纸人|刀片|子弹|死老鼠/,
  // Edited or intimate photos sent to contacts.
  /p图|p了|p成|(?<![a-z])ps(?![a-z])|把我.{0,6}p|合成(照片|图|视频)|裸照|不雅照|艳照|黄图|换脸|色情(图|照)|(你|我|他|她)的?(照片|头像|相片).{0,8}(p|合成|做成|群发|发到|发给|挂)/,
  // Saying it outright.
  /威胁|恐吓|要伤害|伤害(我|你|家人|孩子|老人)|绑架|人身安全|(孩子|家人|老婆|老人|父母|爸妈)的?安全|出门小心|夜路|找人(收拾|打(?!给|电话|个电话|过来|回)|弄)/,
];

/** Toneless pinyin (letters only, spaces removed) for texters without a Chinese keyboard. */
export const CRISIS_PINYIN: readonly RegExp[] = [
  /(?<!mei|bu|meiyou)xiangsi|buxianghuo|huobuxiaqu|zisha|qingsheng|tiaolou|yiliaobaile|chengbuxiaqu|aobuxiaqu|zoutouwulu|juewang|shangdiao|gewan|anmianyao|nongyao|xunsi|shengburusi/,
  /suicid|killmyself|wanttodie|endmylife|enditall|donewithlife/,
];
export const THREAT_PINYIN: readonly RegExp[] = [/shangmen|nongsi|kansi|kanni|weixie|konghe|huaquan|youqi|luozhao|killyou/];

/**
 * A cue right after one of these (within the same clause, at most 3 characters between) is denied:
 * 「我没想死」「从来没有想过自杀」「不会想不开」. 别/不要 are not denials: 「妈妈劝我别想不开」 is
 * said to someone who needed it. 「是不是我不在了…」 is a question, not a denial. A cue that is
 * itself a negation (不想活, 不想再撑) is not denied by a 没 before it: 「好几天没吃饭了不想活」.
 */
export const DENIAL_BEFORE = /(没|没有|(?<!是)不是|不会|并不|并没|从没|从来没|从不|绝不|决不|不至于|不可能)[^，。！？；,.!?;]{0,3}$/;

/** 「不想死」: 不 directly before a cue that starts with 想 (or 不想 before a bare 死) denies it. */
export const DIRECT_NO = /不想?$/;

/** Abuse aimed at the caller, not the caller's own wish: 「催收叫我去死」 (someone before the verb; 「让我去死吧」 alone is a wish). */
export const TOLD_TO = /.(叫|让|骂|喊|说|要)(我|你|他|她)(怎么)?不?去?$|.(叫|让|骂|喊|说)去$/;
