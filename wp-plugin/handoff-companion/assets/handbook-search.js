/**
 * The Site Handbook's search in the browser: the same reading of a query, the same
 * sections, the same ranking and marks as Handbook_Search on the server (whose prepared
 * data the screen prints in #handoff-handbook-search-data), as the reader types.
 *
 * Loaded on the Site Handbook screen only. Plain ES2018, no build step.
 */
( function () {
	'use strict';

	// A letter (or number) of a script written without spaces; "used with" the script, as
	// PCRE 10.40 and later read PHP's \p{Han}.
	var RUN = '(?=[\\p{L}\\p{N}])[\\p{scx=Han}\\p{scx=Hiragana}\\p{scx=Katakana}\\p{scx=Hangul}]',
		WORD = new RegExp( '(?:' + RUN + ')+|(?:(?!' + RUN + ')[\\p{L}\\p{N}\\p{M}])+', 'gu' ),
		IS_RUN = new RegExp( '^' + RUN, 'u' ),
		// What WordPress's remove_accents() writes for letters that have no combining form.
		LETTERS = { 'đ': 'd', 'ð': 'd', 'ß': 'ss', 'æ': 'ae', 'ø': 'o', 'œ': 'oe', 'ł': 'l', 'þ': 'th', 'ħ': 'h', 'ŧ': 't', 'ı': 'i', 'ŀ': 'l', 'ĸ': 'k', 'ŉ': 'n', 'ſ': 's' },
		// Handbook_Search's weights and limits, from the server's data (set by prepare()).
		SYNONYM_WEIGHT,
		FIRST_WEIGHT,
		PRECISION_WEIGHT,
		MAX_PHRASE,
		MAX_RUN_ENTRY,
		MARK_CLASS = 'handoff-handbook-match';

	function fold( text ) {
		return text.toLowerCase().normalize( 'NFD' ).replace( /\p{M}+/gu, '' ).normalize( 'NFC' )
			.replace( /[đðßæøœłþħŧıŀĸŉſ]/g, function ( letter ) {
				return LETTERS[ letter ];
			} );
	}

	function isRun( term ) {
		return IS_RUN.test( term );
	}

	function length( text ) {
		return Array.from( text ).length;
	}

	function prepare( raw ) {
		var lang = { stopwords: Object.create( null ), stem: [], forms: Object.create( null ), groups: raw.groups || [], memo: Object.create( null ) },
			weights = raw.weights || {};
		SYNONYM_WEIGHT = weights.synonym;
		FIRST_WEIGHT = weights.first;
		PRECISION_WEIGHT = weights.precision;
		MAX_PHRASE = weights.phrase;
		MAX_RUN_ENTRY = weights.run_entry;
		( raw.stopwords || [] ).forEach( function ( word ) {
			lang.stopwords[ word ] = true;
		} );
		( raw.stem || [] ).forEach( function ( rule ) {
			lang.stem.push( [ new RegExp( rule[ 0 ], 'u' ), rule[ 1 ], rule[ 2 ] ] );
		} );
		lang.groups.forEach( function ( group, index ) {
			group.forEach( function ( form ) {
				if ( ! Object.prototype.hasOwnProperty.call( lang.forms, form ) ) {
					lang.forms[ form ] = index;
				}
			} );
		} );
		return lang;
	}

	function stem( word, lang ) {
		lang.stem.forEach( function ( rule ) {
			if ( length( word ) >= rule[ 2 ] ) {
				word = word.replace( rule[ 0 ], rule[ 1 ] );
			}
		} );
		return word;
	}

	function has( object, key ) {
		return Object.prototype.hasOwnProperty.call( object, key );
	}

	// A word (not a run) as compared: folded and stemmed; '' for a stopword. Remembered.
	function term( word, lang ) {
		var folded;
		if ( ! has( lang.memo, word ) ) {
			folded = fold( word );
			lang.memo[ word ] = has( lang.stopwords, folded ) ? '' : stem( folded, lang );
		}
		return lang.memo[ word ];
	}

	// [term, isRun] for each word: folded, stopwords out, stemmed; runs whole.
	function terms( text, lang ) {
		var out = [];
		( text.match( WORD ) || [] ).forEach( function ( word ) {
			var value;
			if ( isRun( word ) ) {
				out.push( [ word, true ] );
				return;
			}
			value = term( word, lang );
			if ( '' !== value ) {
				out.push( [ value, false ] );
			}
		} );
		return out;
	}

	function line( text, lang ) {
		var list = terms( text, lang ).map( function ( term ) {
			return term[ 0 ];
		} );
		return ' ' + list.join( ' ' ) + ( list.length ? ' ' : '' );
	}

	function count( haystack, needle ) {
		var found = 0,
			at = haystack.indexOf( needle );
		while ( -1 !== at ) {
			found++;
			at = haystack.indexOf( needle, at + needle.length );
		}
		return found;
	}

	function units( form ) {
		if ( '' === form ) {
			return 0;
		}
		return form.split( ' ' ).reduce( function ( sum, term ) {
			return sum + ( isRun( term ) ? length( term ) : 1 );
		}, 0 );
	}

	function concept( form, lang ) {
		var result = Object.create( null ),
			typed = form.split( ' ' );
		result[ form ] = 1;
		if ( has( lang.forms, form ) ) {
			lang.groups[ lang.forms[ form ] ].forEach( function ( synonym ) {
				var part = isRun( synonym ) ? -1 !== form.indexOf( synonym ) : synonym.split( ' ' ).every( function ( term ) {
					return -1 !== typed.indexOf( term );
				} );
				if ( ! has( result, synonym ) ) {
					result[ synonym ] = part ? 1 : SYNONYM_WEIGHT;
				}
			} );
		}
		return result;
	}

	function pairs( rest ) {
		var chars = Array.from( rest ),
			out = [],
			i;
		if ( chars.length < 2 ) {
			return '' === rest ? [] : [ rest ];
		}
		for ( i = 0; i < chars.length - 1; i++ ) {
			out.push( chars[ i ] + chars[ i + 1 ] );
		}
		return out;
	}

	function cutRun( run, lang ) {
		var chars = Array.from( run ),
			pieces = [],
			rest = '',
			i = 0,
			size,
			entry,
			candidate;
		while ( i < chars.length ) {
			entry = '';
			for ( size = Math.min( MAX_RUN_ENTRY, chars.length - i ); size > 0; size-- ) {
				candidate = chars.slice( i, i + size ).join( '' );
				if ( has( lang.forms, candidate ) || has( lang.stopwords, candidate ) ) {
					entry = candidate;
					break;
				}
			}
			if ( '' === entry ) {
				rest += chars[ i++ ];
				continue;
			}
			pieces = pieces.concat( pairs( rest ) );
			rest = '';
			if ( ! has( lang.stopwords, entry ) ) {
				pieces.push( entry );
			}
			i += length( entry );
		}
		return pieces.concat( pairs( rest ) );
	}

	function concepts( query, lang ) {
		var list = terms( query, lang ),
			out = [],
			unique = Object.create( null ),
			result = [],
			i = 0,
			size,
			taken,
			words;
		while ( i < list.length ) {
			if ( list[ i ][ 1 ] ) {
				cutRun( list[ i ][ 0 ], lang ).forEach( function ( piece ) {
					out.push( concept( piece, lang ) );
				} );
				i++;
				continue;
			}
			taken = 1;
			for ( size = Math.min( MAX_PHRASE, list.length - i ); size > 1; size-- ) {
				words = list.slice( i, i + size );
				if ( words.every( function ( w ) {
					return ! w[ 1 ];
				} ) && has( lang.forms, words.map( function ( w ) {
					return w[ 0 ];
				} ).join( ' ' ) ) ) {
					taken = size;
					break;
				}
			}
			out.push( concept( list.slice( i, i + taken ).map( function ( w ) {
				return w[ 0 ];
			} ).join( ' ' ), lang ) );
			i += taken;
		}
		out.forEach( function ( item ) {
			var key = Object.keys( item ).sort( function ( a, b ) {
				// The order of PHP's sort() on strings: by bytes.
				return a < b ? -1 : ( a > b ? 1 : 0 );
			} ).join( '|' );
			if ( ! has( unique, key ) ) {
				unique[ key ] = true;
				result.push( item );
			}
		} );
		return result;
	}

	function needle( form ) {
		return isRun( form ) ? form : ' ' + form + ' ';
	}

	function hit( item, lines ) {
		var result = { heading: 0, chapter: 0, body: 0, start: 0, covers: 0, forms: [] };
		Object.keys( item ).forEach( function ( form ) {
			var weight = item[ form ],
				find = needle( form ),
				inHeading = count( lines.heading, find ),
				inChapter = count( lines.chapter, find ),
				inBody = count( lines.body, find ),
				at;
			if ( inHeading ) {
				result.heading = Math.max( result.heading, weight );
				result.covers = Math.max( result.covers, inHeading * units( form ) );
				at = lines.heading.indexOf( find );
				if ( 0 === at || ( ' ' !== find[ 0 ] && 1 === at ) ) {
					result.start = Math.max( result.start, weight );
				}
			}
			if ( inChapter ) {
				result.chapter = Math.max( result.chapter, weight );
			}
			result.body += weight * inBody;
			if ( inHeading || inBody ) {
				result.forms.push( form );
			}
		} );
		return result;
	}

	// The matching sections, best first (Handbook_Search::search()).
	function search( sections, query, lang ) {
		var items = concepts( query, lang ),
			found,
			total = sections.length,
			words = 0,
			average,
			results = [],
			best = 1;
		if ( ! items.length || ! total ) {
			return [];
		}
		sections.forEach( function ( section ) {
			words += section.lines.words;
		} );
		average = Math.max( 1, words / total );
		found = items.map( function () {
			return 0;
		} );
		sections.forEach( function ( section ) {
			section.hits = items.map( function ( item, c ) {
				var h = hit( item, section.lines );
				if ( h.heading > 0 || h.body > 0 ) {
					found[ c ]++;
				}
				return h;
			} );
		} );
		sections.forEach( function ( section, index ) {
			var score = 0,
				covered = 0,
				covers = 0,
				forms = [];
			section.hits.forEach( function ( h, c ) {
				var rarity, text, first;
				if ( h.heading <= 0 && h.chapter <= 0 && h.body <= 0 ) {
					return;
				}
				covered++;
				rarity = Math.log( 1 + total / ( found[ c ] + 0.5 ) );
				text = h.body * 2.2 / ( h.body + 1.2 * ( 0.25 + 0.75 * section.lines.words / average ) );
				first = 0 === c ? FIRST_WEIGHT : 1;
				score += first * rarity * ( 4 * h.heading + 3 * ( 0 === c ? h.start : 0 ) + h.chapter + text );
				forms = forms.concat( h.forms );
				covers += h.covers;
			} );
			score += PRECISION_WEIGHT * Math.min( 1, covers / Math.max( 1, section.lines.units ) );
			if ( covered < best ) {
				return;
			}
			if ( covered > best ) {
				best = covered;
				results = [];
			}
			results.push( { section: section, score: score, order: index, covered: covered, asked: items.length, forms: forms.filter( function ( form, i ) {
				return forms.indexOf( form ) === i;
			} ) } );
		} );
		results.sort( function ( a, b ) {
			return b.score - a.score || a.order - b.order;
		} );
		return results;
	}

	// Text of a node: its text nodes joined by spaces (as the server reads text before tags).
	function text( node ) {
		var walker = document.createTreeWalker( node, NodeFilter.SHOW_TEXT, null ),
			parts = [],
			current;
		while ( ( current = walker.nextNode() ) ) {
			parts.push( current.nodeValue );
		}
		return parts.join( ' ' );
	}

	function readSection( part, lang ) {
		var level = parseInt( part.getAttribute( 'data-handoff-level' ), 10 ) || 0,
			chapter = part.parentNode,
			heading = level ? part.querySelector( 'h2, h3' ) : null,
			body = [],
			lines;
		Array.prototype.forEach.call( part.childNodes, function ( child ) {
			if ( child !== heading ) {
				body.push( 3 === child.nodeType ? child.nodeValue : text( child ) );
			}
		} );
		lines = {
			heading: line( heading ? text( heading ) : '', lang ),
			chapter: 3 === level ? line( chapter.getAttribute( 'aria-label' ) || '', lang ) : ' ',
			body: line( body.join( ' ' ), lang )
		};
		lines.words = count( lines.body, ' ' );
		lines.units = units( lines.heading.trim() );
		return {
			part: part,
			level: level,
			chapter: chapter.getAttribute( 'data-handoff-section' ) || '',
			chapterTitle: chapter.getAttribute( 'aria-label' ) || '',
			lines: lines
		};
	}

	// Byte-for-byte the server's spans(), on a string: [start, end] pairs to mark.
	function spans( value, words, runs, lang ) {
		var tokens = [],
			out = [],
			match,
			i,
			j,
			last;
		WORD.lastIndex = 0;
		while ( ( match = WORD.exec( value ) ) ) {
			var run = isRun( match[ 0 ] ),
				compared = run ? '' : term( match[ 0 ], lang );
			tokens.push( {
				at: match.index,
				end: match.index + match[ 0 ].length,
				word: match[ 0 ],
				run: run,
				term: '' === compared ? null : compared
			} );
		}
		for ( i = 0; i < tokens.length; i++ ) {
			if ( tokens[ i ].run ) {
				out = out.concat( runSpans( tokens[ i ].word, tokens[ i ].at, runs ) );
				continue;
			}
			if ( null === tokens[ i ].term ) {
				continue;
			}
			for ( j = 0; j < words.length; j++ ) {
				last = matchWords( tokens, i, words[ j ] );
				if ( null !== last ) {
					out.push( [ tokens[ i ].at, tokens[ last ].end ] );
					i = last;
					break;
				}
			}
		}
		return out;
	}

	function matchWords( tokens, i, form ) {
		var last = null,
			k;
		for ( k = 0; k < form.length; k++ ) {
			while ( i < tokens.length && null === tokens[ i ].term && ! tokens[ i ].run && null !== last ) {
				i++;
			}
			if ( i >= tokens.length || tokens[ i ].term !== form[ k ] ) {
				return null;
			}
			last = i++;
		}
		return last;
	}

	function runSpans( run, at, runs ) {
		var out = [],
			i = 0,
			j,
			found;
		while ( i < run.length ) {
			found = '';
			for ( j = 0; j < runs.length; j++ ) {
				if ( run.startsWith( runs[ j ], i ) ) {
					found = runs[ j ];
					break;
				}
			}
			if ( '' === found ) {
				i += run.codePointAt( i ) > 0xffff ? 2 : 1;
				continue;
			}
			out.push( [ at + i, at + i + found.length ] );
			i += found.length;
		}
		return out;
	}

	function mark( root, forms, lang ) {
		var walker = document.createTreeWalker( root, NodeFilter.SHOW_TEXT, null ),
			nodes = [],
			words = [],
			runs = [],
			node;
		forms.forEach( function ( form ) {
			if ( isRun( form ) ) {
				runs.push( form );
			} else {
				words.push( form.split( ' ' ) );
			}
		} );
		words.sort( function ( a, b ) {
			return b.length - a.length;
		} );
		runs.sort( function ( a, b ) {
			return length( b ) - length( a );
		} );
		while ( ( node = walker.nextNode() ) ) {
			nodes.push( node );
		}
		nodes.forEach( function ( textNode ) {
			var value = textNode.nodeValue,
				found = spans( value, words, runs, lang ),
				fragment,
				from = 0;
			if ( ! found.length ) {
				return;
			}
			fragment = document.createDocumentFragment();
			found.forEach( function ( span ) {
				var hitNode = document.createElement( 'mark' );
				fragment.appendChild( document.createTextNode( value.slice( from, span[ 0 ] ) ) );
				hitNode.className = MARK_CLASS;
				hitNode.textContent = value.slice( span[ 0 ], span[ 1 ] );
				fragment.appendChild( hitNode );
				from = span[ 1 ];
			} );
			fragment.appendChild( document.createTextNode( value.slice( from ) ) );
			textNode.parentNode.replaceChild( fragment, textNode );
		} );
	}

	function start() {
		var form = document.getElementById( 'handoff-handbook-search' ),
			input = document.getElementById( 'handoff-handbook-s' ),
			status = document.getElementById( 'handoff-handbook-status' ),
			data = document.getElementById( 'handoff-handbook-search-data' ),
			list = document.querySelector( '.handoff-handbook-results' ),
			chapters = Array.prototype.slice.call( document.querySelectorAll( '.handoff-handbook-content > .handoff-handbook-section' ) ),
			toc = document.querySelector( '.handoff-handbook-toc' ),
			lang,
			sections = null,
			timer = null,
			last = null;
		// A page of server results (`?s=`) has no handbook to search: the form goes to the server.
		if ( ! form || ! input || ! status || ! data || ! list || ! chapters.length ) {
			return;
		}
		lang = prepare( JSON.parse( data.textContent ) );

		function show( results, query ) {
			list.textContent = '';
			results.forEach( function ( result ) {
				var item = document.createElement( 'li' ),
					section = result.section,
					chapterLine,
					link;
				item.className = 'handoff-handbook-result';
				item.setAttribute( 'data-handoff-section', section.chapter );
				if ( 3 === section.level ) {
					chapterLine = document.createElement( 'p' );
					chapterLine.className = 'handoff-handbook-result-chapter';
					link = document.createElement( 'a' );
					link.href = '#' + section.chapter;
					link.textContent = section.chapterTitle;
					link.addEventListener( 'click', function () {
						input.value = '';
						run();
					} );
					chapterLine.appendChild( link );
					item.appendChild( chapterLine );
				}
				Array.prototype.forEach.call( section.part.childNodes, function ( child ) {
					item.appendChild( child.cloneNode( true ) );
				} );
				Array.prototype.forEach.call( item.querySelectorAll( '[id]' ), function ( element ) {
					element.removeAttribute( 'id' );
				} );
				mark( item, result.forms, lang );
				list.appendChild( item );
			} );
			list.hidden = '' === query;
			chapters.forEach( function ( chapter ) {
				chapter.hidden = '' !== query;
			} );
			if ( toc ) {
				toc.hidden = '' !== query;
			}
		}

		function run() {
			var query = input.value.replace( /\s+/g, ' ' ).trim(),
				results;
			if ( query === last ) {
				return;
			}
			last = query;
			if ( '' === query ) {
				show( [], '' );
				status.textContent = '';
				return;
			}
			if ( null === sections ) {
				sections = Array.prototype.map.call( document.querySelectorAll( '.handoff-handbook-section > .handoff-handbook-part' ), function ( part ) {
					return readSection( part, lang );
				} );
			}
			results = search( sections, query, lang );
			show( results, query );
			if ( ! results.length ) {
				status.textContent = status.getAttribute( 'data-none' );
			} else {
				status.textContent = status.getAttribute( results[ 0 ].covered === results[ 0 ].asked ? 'data-count' : 'data-partial' ).replace( '%d', String( results.length ) );
			}
		}

		input.addEventListener( 'input', function () {
			window.clearTimeout( timer );
			timer = window.setTimeout( run, 150 );
		} );
		input.addEventListener( 'keydown', function ( event ) {
			if ( 'Escape' === event.key && '' !== input.value ) {
				event.preventDefault();
				input.value = '';
				run();
			}
		} );
		form.addEventListener( 'submit', function ( event ) {
			event.preventDefault();
			window.clearTimeout( timer );
			run();
		} );
		last = '';
		if ( '' !== input.value.trim() ) {
			run();
		}
	}

	if ( 'loading' === document.readyState ) {
		document.addEventListener( 'DOMContentLoaded', start );
	} else {
		start();
	}
}() );
